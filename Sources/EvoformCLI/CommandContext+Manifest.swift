import EvoformCore
import EvoformManifest
import Foundation

/// The manifest file a command works on, as resolved from its options and the environment.
public struct ManifestFileLocation: Sendable, Hashable {
    /// Where to read it.
    public var url: URL
    /// How messages name it: the path as the user gave it, or `evoform.json`.
    public var displayPath: String
}

extension CommandContext {
    /// The manifest file: `-f/--file`, else `EVOFORM_FILE`, else `evoform.json` in the working
    /// directory.
    public func manifestFile(_ arguments: ParsedArguments) throws(UsageError) -> ManifestFileLocation {
        let given = arguments.value(CommonOptions.file.name) ?? environment["EVOFORM_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let path = given ?? "evoform.json"
        if path.isEmpty {
            throw UsageError("option --file needs a file name", command: nil)
        }
        return ManifestFileLocation(url: resolve(path: path), displayPath: path)
    }

    /// Loads the manifest for a command and prints its warnings on standard error (also when it
    /// is invalid, before the error is thrown for `ErrorPresenter`).
    ///
    /// - Parameter requireVariables: true (plan, apply, destroy, import, ...): an unset `${VAR}`
    ///   is an error. False only for `validate`.
    public func loadManifest(_ arguments: ParsedArguments, requireVariables: Bool = true) throws -> LoadedManifest {
        let file = try manifestFile(arguments)
        do {
            let loaded = try ManifestLoader.load(
                fileAt: file.url, displayPath: file.displayPath, environment: environment,
                requireVariables: requireVariables)
            report(warnings: loaded.warnings)
            return loaded
        } catch {
            report(warnings: error.warnings)
            throw error
        }
    }

    /// Prints manifest warnings on standard error, one `Warning: FILE:LINE:COL: PATH: message`
    /// line each. A message repeated more than `repeatedWarningLines` times (a literal token in
    /// every instance of a big fleet, say) shows its first places, then one line counting the rest.
    public func report(warnings: [Diagnostic]) {
        let useColor = standardError.isTerminal && environment["NO_COLOR"] == nil
        let prefix = useColor ? "\u{1B}[1;33mWarning:\u{1B}[0m " : "Warning: "
        guard !warnings.isEmpty else { return }
        var shown: [String: Int] = [:]
        var text = ""
        for warning in warnings {
            shown[warning.message, default: 0] += 1
            if shown[warning.message, default: 0] <= Self.repeatedWarningLines { text += prefix + warning.description + "\n" }
        }
        var summarised: Set<String> = []
        for warning in warnings {
            let count = shown[warning.message, default: 0]
            guard count > Self.repeatedWarningLines, summarised.insert(warning.message).inserted else { continue }
            text += prefix + "\(warning.file): \(count - Self.repeatedWarningLines) more like the above: \(warning.message)\n"
        }
        standardError.write(text)
    }

    /// How many places of one warning message are listed before the rest are counted.
    static let repeatedWarningLines = 3
}
