import EvoformCore
import Foundation
import Testing

@testable import EvoformCLI

/// Connection settings: where the server comes from, and one clear line for each way of not
/// reaching it. Nothing here may print the API key.
@Suite struct ServerConnectionTests {
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (EvoformCore.ExitStatus, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evoform-conn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"instances": [{"instanceName": "a"}]}"#.write(
            to: directory.appendingPathComponent("evoform.json"), atomically: true, encoding: .utf8)
        let out = TextSink(capturingAsTerminal: false)
        let err = TextSink(capturingAsTerminal: false)
        let context = CommandContext(
            environment: environment, workingDirectory: directory, standardOutput: out, standardError: err)
        let status = await Evoform.main(arguments: arguments + ["--timeout", "2"], context: context)
        return (status, out.text + err.text)
    }

    @Test func missingServerAndKeySayWhereToSetThem() async throws {
        let (status, text) = try await run(["plan"])
        #expect(status == .failure)
        #expect(text.contains("no server URL: pass --server URL, set EVOLUTION_API_URL"))
        let (keyStatus, keyText) = try await run(["plan", "--server", "http://127.0.0.1:9"])
        #expect(keyStatus == .failure)
        #expect(keyText.contains("no API key"))
    }

    @Test func refusedAndUnresolvableServersAreOneClearLineWithoutTheKey() async throws {
        let key = "KEY-that-must-not-print"
        let (refused, refusedText) = try await run(["plan", "--server", "http://127.0.0.1:9", "--api-key", key])
        #expect(refused == .failure)
        #expect(refusedText.contains("connection refused"))
        #expect(refusedText.contains("http://127.0.0.1:9"))
        let (dns, dnsText) = try await run(["plan", "--server", "http://evoform-test.invalid", "--api-key", key])
        #expect(dns == .failure)
        #expect(dnsText.contains("cannot resolve the host"))
        #expect(dnsText.contains("travels unencrypted over plain http"))
        #expect(!(refusedText + dnsText).contains(key))
    }

    @Test func badServerURLIsRejectedBeforeAnyRequest() async throws {
        let (status, text) = try await run(["plan", "--server", "evolution.example.com", "--api-key", "k"])
        #expect(status == .failure)
        #expect(text.contains("is not an absolute http(s) URL"))
    }

    @Test func insecureHTTPSIsWarnedAndTriedNotRefused() async throws {
        let (status, text) = try await run(["plan", "--server", "https://127.0.0.1:9", "--api-key", "k", "--insecure"])
        #expect(status == .failure)
        #expect(text.contains("Warning: TLS certificate verification is off (--insecure); use it only for testing."))
        #expect(text.contains("connection refused"))
        #expect(text.contains("https://127.0.0.1:9"))
    }

    #if os(Linux)
        @Test func anUnusableProxyVariableIsRefusedBeforeAnyRequestNamingTheVariableNotItsValue() async throws {
            let (status, text) = try await run(
                ["plan", "--server", "http://127.0.0.1:9", "--api-key", "k"],
                environment: ["HTTP_PROXY": "https://user:hunter2@127.0.0.1:3128"])
            #expect(status == .failure)
            #expect(text.contains("the proxy in HTTP_PROXY is an https:// proxy URL"), "\(text)")
            #expect(!text.contains("hunter2"))
            #expect(!text.contains("connection refused"))
        }

        @Test func insecureHTTPSGoesThroughTheProxyAndAnAbsentProxyIsNamed() async throws {
            let (status, text) = try await run(
                ["plan", "--server", "https://127.0.0.1:9", "--api-key", "k", "--insecure"],
                environment: ["https_proxy": "http://user:hunter2@127.0.0.1:9"])
            #expect(status == .failure)
            #expect(text.contains("cannot reach https://127.0.0.1:9 through the proxy (GET /"), "\(text)")
            #expect(text.contains("cannot connect to the proxy http://127.0.0.1:9 (https_proxy)"), "\(text)")
            #expect(!text.contains("hunter2"))
        }
    #endif
}
