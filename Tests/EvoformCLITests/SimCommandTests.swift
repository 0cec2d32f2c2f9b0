import EvoformCore
import EvoformRemote
import EvolutionSimulator
import Foundation
import Testing

@testable import EvoformCLI

@Suite("evoform sim")
struct SimCommandTests {
    static func parse(_ arguments: [String]) throws -> SimulatorConfiguration {
        let parsed = try ArgumentParser(options: SimCommand.options, commandName: "sim").parse(arguments)
        return try SimCommand.configuration(from: parsed)
    }

    static func context() -> CommandContext {
        CommandContext(
            environment: [:], workingDirectory: URL(fileURLWithPath: "/"), standardOutput: TextSink(),
            standardError: TextSink())
    }

    @Test("defaults: v2 on 127.0.0.1:8080, key change-me, 200 ms delete lag, no faults")
    func defaults() throws {
        let configuration = try Self.parse([])
        var expected = SimulatorConfiguration(apiVersion: .v2)
        expected.port = 8080
        expected.deleteLagMilliseconds = 200
        #expect(configuration == expected)
    }

    @Test("every option is read, in both spellings")
    func allOptions() throws {
        let configuration = try Self.parse([
            "--host", "127.0.0.1", "--port=0", "--api-version", "v1", "--api-key", "k", "-latency-ms=5", "--fail-rate", "0.25",
            "--lose-response-rate=0.5", "--seed", "99", "--delete-lag-ms", "0", "--qr-delay-ms", "5000", "--v1-storage", "files",
            "--faults-affect-reads",
        ])
        let expected = SimulatorConfiguration(
            apiVersion: .v1, host: "127.0.0.1", port: 0, apiKey: "k", latencyMilliseconds: 5, failRate: 0.25,
            loseResponseRate: 0.5, seed: 99, deleteLagMilliseconds: 0, qrDelayMilliseconds: 5000, v1Storage: .files,
            faultsAffectReads: true)
        #expect(configuration == expected)
    }

    @Test("bad values are usage errors (exit 64) naming the option", arguments: [
        (["--api-version", "v3"], "--api-version"), (["--port", "70000"], "--port"), (["--port", "x"], "--port"),
        (["--fail-rate", "1.5"], "--fail-rate"), (["--lose-response-rate", "-0.1"], "--lose-response-rate"),
        (["--seed", "-1"], "--seed"), (["--latency-ms", "fast"], "--latency-ms"), (["--host", "example.com"], "--host"),
        (["--api-key", ""], "--api-key"), (["--v1-storage", "sql"], "--v1-storage"), (["extra"], "extra"),
        (["--delete-lag-ms", "-5"], "--delete-lag-ms"), (["--qr-delay"], "--qr-delay"),
        (["--tls-cert", "server.pem"], "--tls-key"), (["--tls-key", "server-key.pem"], "--tls-cert"),
    ])
    func badValues(arguments: [String], mentioned: String) async {
        let context = Self.context()
        let status = await Evoform.main(arguments: ["sim"] + arguments, context: context)
        #expect(status == .usage)
        #expect(context.standardError.text.contains(mentioned))
        #expect(context.standardOutput.text.isEmpty)
    }

    @Test("sim is registered and documents its options")
    func help() async {
        let context = Self.context()
        #expect(await Evoform.main(arguments: ["sim", "--help"], context: context) == .success)
        for option in ["--api-version", "--fail-rate", "--lose-response-rate", "--delete-lag-ms", "--qr-delay-ms", "--seed"] {
            #expect(context.standardOutput.text.contains(option))
        }
    }

    @Test("serving prints the address as the first line, answers, and stops cleanly")
    func serve() async throws {
        let context = Self.context()
        let configuration = try Self.parse(["--port", "0", "--api-version", "v1"])
        let stop = AsyncStream<Void>.makeStream()
        let serving = Task {
            try await SimCommand.serve(configuration, in: context) {
                for await _ in stop.stream { return }
            }
        }
        var firstLine = ""
        while firstLine.isEmpty {
            firstLine = context.standardOutput.text.split(separator: "\n").first.map(String.init) ?? ""
            if firstLine.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(firstLine.hasPrefix("listening on http://127.0.0.1:"))
        let url = try #require(URL(string: String(firstLine.dropFirst("listening on ".count)) + "/"))
        let response = try await HTTPTransportFactory.transport(
            for: ServerEndpoint(url: url, apiKey: Secret("")), environment: [:]
        ).send(HTTPRequest(method: "GET", url: url, timeoutSeconds: 5))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"version\":\"1.8.2\""))
        stop.continuation.yield()
        #expect(try await serving.value == .success)
        #expect(context.standardError.text.contains("stopped"))
    }

    static let tlsFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls")

    @Test("with a certificate and key it serves https on the port and says so")
    func serveHTTPS() async throws {
        let context = Self.context()
        let configuration = try Self.parse([
            "--port", "0", "--tls-cert", Self.tlsFixtures.appendingPathComponent("server.pem").path, "--tls-key",
            Self.tlsFixtures.appendingPathComponent("server-key.pem").path,
        ])
        #expect(configuration.tlsCertificateFile?.hasSuffix("Fixtures/tls/server.pem") == true)
        let serving = Task { try await SimCommand.serve(configuration, in: context) {} }
        #expect(try await serving.value == .success)
        #expect(context.standardOutput.text.hasPrefix("listening on https://127.0.0.1:"))
    }

    @Test("a certificate that cannot be loaded is a clear error naming it, without the port advice")
    func unreadableCertificate() async throws {
        let context = Self.context()
        let missing = Self.tlsFixtures.appendingPathComponent("missing.pem").path
        let status = await Evoform.main(
            arguments: ["sim", "--port", "0", "--tls-cert", missing, "--tls-key", missing], context: context)
        #expect(status == .failure)
        #expect(context.standardError.text.contains("cannot load the TLS certificate \(missing)"))
        #expect(!context.standardError.text.contains("choose another --port"))
    }

    @Test("a port in use is a clear error, not a crash")
    func portInUse() async throws {
        let running = try await EvolutionSimulator.start(SimulatorConfiguration(apiVersion: .v2))
        let context = Self.context()
        let status = await Evoform.main(arguments: ["sim", "--port", "\(running.port)"], context: context)
        await running.stop()
        #expect(status == .failure)
        #expect(context.standardError.text.contains("choose another --port"))
        #expect(context.standardOutput.text.isEmpty)
    }
}
