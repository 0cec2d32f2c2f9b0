import EvoformCore
import EvoformRemote
import Foundation
import Testing

@Suite struct ScratchProbe {
    @Test func probe() async throws {
        try await SimulatorHarness.with(.v2) { harness in
            for index in 0..<200 { try await harness.simulator.createOutOfBand(instanceName: "b\(index)", token: "t\(index)") }
            let clock = ContinuousClock()
            func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
            let transport = URLSessionTransport()
            let url = URL(string: harness.simulator.baseURL + "/instance/fetchInstances")!
            var response: HTTPResponse?
            var t = try await clock.measure { response = try await transport.send(HTTPRequest(method: "GET", url: url, headers: ["apikey": harness.apiKey], timeoutSeconds: 5)) }
            log("PROBE raw list \(t) bytes \(response!.body.count)")
            t = try clock.measure { _ = try JSONDecoder().decode(JSONValue.self, from: response!.body) }
            log("PROBE decode \(t)")
            t = try clock.measure { _ = try JSONSerialization.jsonObject(with: response!.body) }
            log("PROBE jsonserialization \(t)")
        }
    }
}
