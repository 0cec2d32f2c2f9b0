import EvoformCore
import Foundation
import Testing

@testable import EvoformManifest

/// The fixture corpus under `Tests/Fixtures/manifests` (see the README there).
///
/// - `invalid/NAME.json[c]` must fail to load with exactly the diagnostics in `NAME.expected`
///   (loaded as `plan` would, `requireVariables: true`, with the variables of `NAME.env`).
/// - `valid/NAME.json[c]` must load, with and without its variables (`NAME.env`); the warnings
///   with the variables set must equal `NAME.expected` when that file exists.
///
/// Re-record the expected files with `EVOFORM_RECORD_FIXTURES=1 swift test --filter ManifestFixtureTests`
/// and review the diff.
@Suite struct ManifestFixtureTests {
    static let invalidDirectory = TestPaths.fixtures.appendingPathComponent("invalid")
    static let validDirectory = TestPaths.fixtures.appendingPathComponent("valid")
    static let recording = ProcessInfo.processInfo.environment["EVOFORM_RECORD_FIXTURES"] == "1"

    static func sidecar(_ name: String, in directory: URL, extension suffix: String) -> URL {
        let base = (name as NSString).deletingPathExtension
        return directory.appendingPathComponent(base + "." + suffix)
    }

    static func environment(for name: String, in directory: URL) -> [String: String] {
        let url = sidecar(name, in: directory, extension: "env")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        return TestSupport.parseEnvironment(text)
    }

    @Test func theInvalidCorpusIsLargeEnough() {
        #expect(TestPaths.manifests(in: Self.invalidDirectory).count >= 40)
    }

    @Test(arguments: TestPaths.manifests(in: ManifestFixtureTests.invalidDirectory))
    func invalidManifestReportsExactlyItsDiagnostics(_ name: String) throws {
        let url = Self.invalidDirectory.appendingPathComponent(name)
        let environment = Self.environment(for: name, in: Self.invalidDirectory)
        let actual: String
        do {
            let loaded = try ManifestLoader.load(
                fileAt: url, displayPath: name, environment: environment, requireVariables: true)
            Issue.record("\(name) loaded without errors (\(loaded.manifest.instances.count) instances)")
            return
        } catch {
            #expect(!error.errors.isEmpty)
            actual = TestSupport.render(error.diagnostics)
        }
        let expectedURL = Self.sidecar(name, in: Self.invalidDirectory, extension: "expected")
        if Self.recording {
            try (actual + "\n").write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(actual == expected.trimmingCharacters(in: .newlines), "\(name)")
        for secret in environment.values where secret.count >= 6 {
            #expect(!actual.contains(secret), "\(name) echoes an environment value")
        }
    }

    @Test(arguments: TestPaths.manifests(in: ManifestFixtureTests.validDirectory))
    func validManifestLoads(_ name: String) throws {
        let url = Self.validDirectory.appendingPathComponent(name)
        let environment = Self.environment(for: name, in: Self.validDirectory)
        let withVariables = try ManifestLoader.load(
            fileAt: url, displayPath: name, environment: environment, requireVariables: true)
        let withoutVariables = try ManifestLoader.load(
            fileAt: url, displayPath: name, environment: [:], requireVariables: false)
        #expect(withVariables.manifest.instances.count == withoutVariables.manifest.instances.count)
        let expectedURL = Self.sidecar(name, in: Self.validDirectory, extension: "expected")
        let actual = TestSupport.render(withVariables.warnings)
        if Self.recording {
            if actual.isEmpty {
                try? FileManager.default.removeItem(at: expectedURL)
            } else {
                try (actual + "\n").write(to: expectedURL, atomically: true, encoding: .utf8)
            }
            return
        }
        if let expected = try? String(contentsOf: expectedURL, encoding: .utf8) {
            #expect(actual == expected.trimmingCharacters(in: .newlines), "\(name)")
        } else {
            #expect(actual.isEmpty, "\(name) has warnings but no .expected file:\n\(actual)")
        }
    }
}
