import EvoformCore
import Foundation

@testable import EvoformManifest

/// Every manifest the repository holds: the examples and the valid and invalid fixtures, each
/// with the environment and mode it is checked in (the examples and valid fixtures as `validate`
/// runs in a pull request, without variables; invalid fixtures as their `.expected` files were
/// recorded, with their `.env` and variables required).
struct CorpusManifest: CustomStringConvertible, Sendable {
    var name: String
    var url: URL
    var environment: [String: String]
    var requireVariables: Bool

    var description: String { name }

    var bytes: [UInt8] { (try? [UInt8](Data(contentsOf: url))) ?? [] }

    /// Loads the manifest as evoform would in this mode; nil with the diagnostics when it fails.
    func load(contents: Data? = nil) -> Result<LoadedManifest, ManifestError> {
        do {
            return .success(
                try ManifestLoader.load(
                    contents: contents ?? Data(bytes), path: name, environment: environment,
                    requireVariables: requireVariables))
        } catch {
            return .failure(error)
        }
    }

    static let all: [CorpusManifest] = {
        var result: [CorpusManifest] = []
        for name in TestPaths.manifests(in: TestPaths.examples) {
            result.append(
                CorpusManifest(
                    name: "examples/\(name)", url: TestPaths.examples.appendingPathComponent(name), environment: [:],
                    requireVariables: false))
        }
        for kind in ["valid", "invalid"] {
            let directory = TestPaths.fixtures.appendingPathComponent(kind)
            for name in TestPaths.manifests(in: directory) {
                let base = (name as NSString).deletingPathExtension
                let envText = try? String(contentsOf: directory.appendingPathComponent(base + ".env"), encoding: .utf8)
                result.append(
                    CorpusManifest(
                        name: "\(kind)/\(name)", url: directory.appendingPathComponent(name),
                        environment: kind == "invalid" ? envText.map(TestSupport.parseEnvironment) ?? [:] : [:],
                        requireVariables: kind == "invalid"))
            }
        }
        return result
    }()

    static var examples: [CorpusManifest] { all.filter { $0.name.hasPrefix("examples/") } }
}
