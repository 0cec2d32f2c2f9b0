import Foundation
import Testing

@testable import EvolutionSimulator

@Suite("Fault injection")
struct FaultInjectionTests {
    @Test("fail-rate 1 answers 500 before applying; reads are untouched", arguments: SimulatedAPIVersion.allCases)
    func failEverything(version: SimulatedAPIVersion) async throws {
        var configuration = SimulatorConfiguration(apiVersion: version)
        configuration.failRate = 1
        try await withSimulator(configuration) { simulator, client in
            let created = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(created.status == 500)
            #expect(created.json?["error"] == "Internal Server Error")
            #expect(await simulator.instanceNames().isEmpty)
            #expect(try await client.call("GET", "/instance/fetchInstances").status == 200)
            try await simulator.createOutOfBand(instanceName: "b", token: nil)
            #expect(try await client.call("DELETE", "/instance/delete/b").status == 500)
            #expect(try await client.call("POST", "/settings/set/b", json: "{}").status == 500)
            #expect(await simulator.instanceNames() == ["b"])
            let log = await simulator.requestLog()
            #expect(log.map(\.fault) == [.failed, nil, .failed, .failed])
            #expect(log.map(\.status) == [500, 200, 500, 500])
        }
    }

    @Test("lose-response-rate 1 applies the change, then closes without an answer", arguments: SimulatedAPIVersion.allCases)
    func loseEverything(version: SimulatedAPIVersion) async throws {
        var configuration = SimulatorConfiguration(apiVersion: version)
        configuration.loseResponseRate = 1
        try await withSimulator(configuration) { simulator, client in
            let port = simulator.port
            let outcome = try await RawHTTPClient.offPool { () -> String in
                let connection = try RawConnection(port: port)
                do {
                    let response = try connection.request(
                        "POST", "/instance/create", headers: [("apikey", "change-me"), ("Content-Type", "application/json")],
                        body: Array(#"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#.utf8))
                    return "answered \(response.status)"
                } catch RawConnection.Failure.closed {
                    return "closed"
                }
            }
            #expect(outcome == "closed")
            #expect(await simulator.instanceNames() == ["a"])
            #expect(try await client.call("GET", "/instance/connectionState/a").status == 200)
            let log = await simulator.requestLog()
            #expect(log.first?.status == 201)
            #expect(log.first?.fault == .responseLost)
        }
    }

    @Test("the same seed gives the same faults, ids and tokens")
    func seedRepeatability() async throws {
        func run(seed: UInt64) async throws -> [String] {
            var configuration = SimulatorConfiguration(apiVersion: .v2)
            configuration.failRate = 0.5
            configuration.seed = seed
            var outcomes: [String] = []
            try await withSimulator(configuration) { _, client in
                for index in 0..<24 {
                    let response = try await client.call(
                        "POST", "/instance/create", json: #"{"instanceName":"i\#(index)","integration":"WHATSAPP-BAILEYS"}"#)
                    outcomes.append("\(response.status):\(response.json?["hash"]?.stringValue ?? "-"):\(response.json?["instance"]?["instanceId"]?.stringValue ?? "-")")
                }
            }
            return outcomes
        }
        let first = try await run(seed: 42)
        let second = try await run(seed: 42)
        let other = try await run(seed: 43)
        #expect(first == second)
        #expect(first != other)
        #expect(first.contains { $0.hasPrefix("500") } && first.contains { $0.hasPrefix("201") })
    }

    @Test("faults can change at runtime, through the API and /__sim/faults")
    func runtimeFaults() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v1)) { simulator, client in
            await simulator.setFaults(failRate: 1, loseResponseRate: 0, latencyMilliseconds: 0)
            #expect(try await client.call("POST", "/instance/create", json: #"{"instanceName":"a"}"#).status == 500)
            let reset = try await client.call("PUT", "/__sim/faults", json: #"{"failRate":0,"loseResponseRate":0,"latencyMs":0}"#)
            #expect(reset.json == json(#"{"failRate":0,"loseResponseRate":0,"latencyMs":0}"#))
            #expect(try await client.call("POST", "/instance/create", json: #"{"instanceName":"a"}"#).status == 201)
            #expect(try await client.call("PUT", "/__sim/faults", json: #"{"failRate":2}"#).status == 400)
        }
    }

    @Test("faults can be told to hit reads too")
    func faultsOnReads() async throws {
        var configuration = SimulatorConfiguration(apiVersion: .v2)
        configuration.failRate = 1
        configuration.faultsAffectReads = true
        try await withSimulator(configuration) { _, client in
            let status = try await client.call("GET", "/instance/fetchInstances").status
            #expect(status == 500)
        }
    }
}
