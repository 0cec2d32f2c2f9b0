import EvoformCore
import Foundation

@testable import EvoformManifest

/// Locates the package from this file (`#filePath`), so tests run from any working directory.
enum TestPaths {
    static let packageRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/manifests")
    static let examples = packageRoot.appendingPathComponent("examples")

    /// The manifest files (`.json`, `.jsonc`) of a directory, sorted by name.
    static func manifests(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonc") }.sorted()
    }
}

/// Small helpers shared by the suites.
enum TestSupport {
    /// Loads text as a manifest named `test.json`.
    static func load(
        _ text: String, environment: [String: String] = [:], requireVariables: Bool = true
    ) throws(ManifestError) -> LoadedManifest {
        try ManifestLoader.load(
            contents: Data(text.utf8), path: "test.json", environment: environment, requireVariables: requireVariables)
    }

    /// The diagnostics text of a failed load, one line per diagnostic as `evoform validate`
    /// prints them (`Warning: ` before warnings), or the warnings of a successful one.
    static func diagnosticsText(
        _ text: String, environment: [String: String] = [:], requireVariables: Bool = true
    ) -> String {
        do {
            let loaded = try load(text, environment: environment, requireVariables: requireVariables)
            return render(loaded.warnings)
        } catch {
            return render(error.diagnostics)
        }
    }

    static func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { ($0.severity == .warning ? "Warning: " : "") + $0.description }.joined(separator: "\n")
    }

    /// `KEY=VALUE` lines; `#` starts a comment line. The value is everything after the first `=`.
    static func parseEnvironment(_ text: String) -> [String: String] {
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return environment
    }

    /// Every `${NAME...}` a text references, set to a value that passes every rule (a token-like
    /// string; `_URL` variables get a URL, `_ACCOUNT...` a number).
    static func environmentSatisfying(_ text: String) -> [String: String] {
        var environment: [String: String] = [:]
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            rest = rest[start.upperBound...]
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty else { continue }
            let key = String(name)
            if key.hasSuffix("_URL") {
                environment[key] = "http://127.0.0.1:8080"
            } else if key.contains("ACCOUNT") {
                environment[key] = "7"
            } else {
                environment[key] = "value-\(key.lowercased().replacingOccurrences(of: "_", with: "-"))"
            }
        }
        return environment
    }
}
