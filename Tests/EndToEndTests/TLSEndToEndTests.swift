import EvolutionSimulator
import Foundation
import Testing

/// https end to end: the real binary against a simulator serving the test certificate (signed by
/// a test CA that no system trusts). Every https run goes through evoform's own TLS client:
/// `--insecure` is warned on every run; without it the server is verified against the system's
/// trust store, which refuses it before anything is sent, unless `SSL_CERT_FILE` (passed to the
/// child process only) names the test CA.
@Suite(.serialized) struct TLSEndToEndTests {
    static let fixtures = Harness.repository.appendingPathComponent("Tests/Fixtures/tls")
    static let warning = "Warning: TLS certificate verification is off (--insecure); use it only for testing."

    static func start(_ version: SimulatedAPIVersion) async throws -> Harness {
        try await Harness.start(version) { configuration in
            configuration.apiKey = "e2e-TLS-global-key"
            configuration.tlsCertificateFile = fixtures.appendingPathComponent("server.pem").path
            configuration.tlsKeyFile = fixtures.appendingPathComponent("server-key.pem").path
        }
    }

    @Test(arguments: [SimulatedAPIVersion.v1, .v2])
    func applyInsecureConvergesAndWarnsOnEveryRun(version: SimulatedAPIVersion) async throws {
        let harness = try await Self.start(version)
        #expect(harness.environment["EVOLUTION_API_URL"]?.hasPrefix("https://127.0.0.1:") == true)
        try harness.write(manifest: Harness.fleet(5))
        let apply = try harness.run(["apply", "--auto-approve", "--insecure"])
        #expect(apply.status == 0, "\(apply.output)\(apply.error)")
        #expect(apply.output.contains("Apply complete: 5 created"))
        #expect(apply.error.components(separatedBy: Self.warning).count == 2, "\(apply.error)")
        #expect(await harness.simulator.instanceNames().count == 5)

        let plan = try harness.run(["plan", "--detailed-exitcode", "--insecure"])
        #expect(plan.status == 0, "fresh plan not empty:\n\(plan.output)\(plan.error)")
        #expect(plan.output.contains("No changes."))
        #expect(plan.error.contains(Self.warning))
        await harness.simulator.resetLog()
        let again = try harness.run(["apply", "--auto-approve", "--insecure"])
        #expect(again.status == 0, "\(again.error)")
        #expect(again.error.contains(Self.warning))
        #expect(await harness.mutatingRequests().isEmpty)
        for result in [apply, plan, again] {
            #expect(!(result.output + result.error).contains("e2e-TLS-global-key"))
            #expect(!(result.output + result.error).contains("tok-inst-"))
        }
        await harness.stop()
    }

    @Test(arguments: [SimulatedAPIVersion.v1, .v2])
    func withoutInsecureTheUntrustedServerIsOneClearErrorAndNothingIsSent(version: SimulatedAPIVersion) async throws {
        let harness = try await Self.start(version)
        try harness.write(manifest: Harness.fleet(3))
        let server = harness.environment["EVOLUTION_API_URL"] ?? ""
        for arguments in [["plan"], ["apply", "--auto-approve"]] {
            let result = try harness.run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.output)\(result.error)")
            let errors = result.error.split(separator: "\n").filter { $0.hasPrefix("Error:") }
            #expect(errors.count == 1, "\(result.error)")
            #expect(
                errors.first?.contains(
                    "the TLS handshake with \(server) failed (GET /): certificate verify failed: unable to get local issuer certificate. "
                        + "Check the server's certificate and name: trust its CA in the system store or pass --ca-file with it, "
                        + "or --insecure") == true, "\(result.error)")
            #expect(!result.error.contains(Self.warning))
            #expect(!(result.output + result.error).contains("e2e-TLS-global-key"))
        }
        #expect(await harness.simulator.requestLog().isEmpty)
        #expect(await harness.simulator.instanceNames().isEmpty)
        await harness.stop()
    }

    @Test(arguments: [SimulatedAPIVersion.v1, .v2])
    func theTestCATrustedThroughSSLCertFileVerifiesAndConvergesWithoutAWarning(version: SimulatedAPIVersion) async throws {
        let harness = try await Self.start(version)
        try harness.write(manifest: Harness.fleet(5))
        let trust = ["SSL_CERT_FILE": Self.fixtures.appendingPathComponent("ca.pem").path]
        let apply = try harness.run(["apply", "--auto-approve"], environment: trust)
        #expect(apply.status == 0, "\(apply.output)\(apply.error)")
        #expect(apply.output.contains("Apply complete: 5 created"))
        #expect(await harness.simulator.instanceNames().count == 5)

        let plan = try harness.run(["plan", "--detailed-exitcode"], environment: trust)
        #expect(plan.status == 0, "fresh plan not empty:\n\(plan.output)\(plan.error)")
        #expect(plan.output.contains("No changes."))
        await harness.simulator.resetLog()
        let again = try harness.run(["apply", "--auto-approve"], environment: trust)
        #expect(again.status == 0, "\(again.error)")
        #expect(await harness.mutatingRequests().isEmpty)
        for result in [apply, plan, again] {
            #expect(!result.error.contains("Warning: TLS"), "\(result.error)")
            #expect(!(result.output + result.error).contains("e2e-TLS-global-key"))
            #expect(!(result.output + result.error).contains("tok-inst-"))
        }
        await harness.stop()
    }

    @Test func withTheTestCATrustedACertificateForAnotherNameIsStillOneClearErrorAndNothingIsSent() async throws {
        let harness = try await Harness.start(.v2) { configuration in
            configuration.apiKey = "e2e-TLS-global-key"
            configuration.tlsCertificateFile = Self.fixtures.appendingPathComponent("wrong-host.pem").path
            configuration.tlsKeyFile = Self.fixtures.appendingPathComponent("wrong-host-key.pem").path
        }
        try harness.write(manifest: Harness.fleet(2))
        let server = harness.environment["EVOLUTION_API_URL"] ?? ""
        let result = try harness.run(
            ["apply", "--auto-approve"], environment: ["SSL_CERT_FILE": Self.fixtures.appendingPathComponent("ca.pem").path])
        #expect(result.status == 1, "\(result.output)\(result.error)")
        let errors = result.error.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errors.count == 1, "\(result.error)")
        #expect(
            errors.first?.contains("the TLS handshake with \(server) failed (GET /): certificate verify failed: IP address mismatch")
                == true, "\(result.error)")
        #expect(await harness.simulator.requestLog().isEmpty)
        await harness.stop()
    }

    @Test func insecureAgainstAPlainServerNamesTheServerAndTheReason() async throws {
        let harness = try await Harness.start(.v2)
        try harness.write(manifest: Harness.fleet(1))
        let server = (harness.environment["EVOLUTION_API_URL"] ?? "").replacingOccurrences(of: "http://", with: "https://")
        let result = try harness.run(["apply", "--auto-approve", "--insecure"], environment: ["EVOLUTION_API_URL": server])
        #expect(result.status == 1)
        #expect(result.error.contains("the TLS handshake with \(server) failed"), "\(result.error)")
        #expect(result.error.contains("the server answered in plain HTTP"), "\(result.error)")
        #expect(await harness.mutatingRequests().isEmpty)
        await harness.stop()
    }

    @Test(arguments: [SimulatedAPIVersion.v1, .v2])
    func theTestCAGivenWithCAFileVerifiesAndConvergesWithoutAWarning(version: SimulatedAPIVersion) async throws {
        let harness = try await Self.start(version)
        try harness.write(manifest: Harness.fleet(3))
        let caFile = Self.fixtures.appendingPathComponent("ca.pem").path
        let apply = try harness.run(["apply", "--auto-approve", "--ca-file", caFile])
        #expect(apply.status == 0, "\(apply.output)\(apply.error)")
        #expect(!apply.error.contains("Warning: TLS"))
        let plan = try harness.run(["plan", "--detailed-exitcode", "--ca-file", caFile])
        #expect(plan.status == 0, "\(plan.output)\(plan.error)")
        await harness.stop()
    }

    @Test func serverCAFileInTheManifestIsRelativeToTheManifest() async throws {
        let harness = try await Self.start(.v2)
        let certificates = harness.directory.appendingPathComponent("config/certs")
        try FileManager.default.createDirectory(at: certificates, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("ca.pem"), to: certificates.appendingPathComponent("ca.pem"))
        let manifest = try harness.write(
            manifest: #"{"server": {"caFile": "certs/ca.pem"}, "instances": [{"instanceName": "viaca"}]}"#,
            named: "config/evoform.json")
        let apply = try harness.run(["apply", "--auto-approve", "-f", manifest])
        #expect(apply.status == 0, "\(apply.output)\(apply.error)")
        #expect(await harness.simulator.instanceNames() == ["viaca"])
        await harness.stop()
    }

    @Test func aWrongCAOrAMissingCAFileIsOneClearErrorAndNothingIsSent() async throws {
        let harness = try await Self.start(.v2)
        try harness.write(manifest: Harness.fleet(2))
        let server = harness.environment["EVOLUTION_API_URL"] ?? ""
        let wrong = try harness.run(
            ["apply", "--auto-approve", "--ca-file", Self.fixtures.appendingPathComponent("other-ca.pem").path])
        #expect(wrong.status == 1)
        let errors = wrong.error.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errors.count == 1, "\(wrong.error)")
        #expect(
            errors.first?.contains(
                "the TLS handshake with \(server) failed (GET /): certificate verify failed: unable to get local issuer certificate")
                == true, "\(wrong.error)")
        let missing = Self.fixtures.appendingPathComponent("no-such-ca.pem").path
        let absent = try harness.run(["plan", "--ca-file", missing])
        #expect(absent.status == 1)
        #expect(absent.error.contains("--ca-file (server.caFile) cannot be used: cannot load the CA file \(missing)"), "\(absent.error)")
        #expect(await harness.simulator.requestLog().isEmpty)
        await harness.stop()
    }
}
