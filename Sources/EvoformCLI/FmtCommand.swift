import EvoformCore
import EvoformManifest
import Foundation

/// `evoform fmt`: rewrites the manifest in the canonical layout (`ManifestFormatter`), keeping its
/// comments; `--check` only reports whether it is formatted, for pipelines.
struct FmtCommand: Command {
    static let name = "fmt"
    static let abstract = "Rewrite the manifest in the canonical layout, keeping its comments."
    static let synopsis = "[-f FILE] [--check]"
    static let discussion = """
        Two-space indentation; every object is a block with one member per line (so each instance
        is its own block), keys in the order written; one space after ":" and ","; trailing commas
        removed; an array of plain values on one line when that fits in 100 columns. Comments
        (// and /* */) stay where they are and values are written exactly as in the file, so the
        manifest means the same after formatting. Formatting twice changes nothing.

        Rewrites the file in place (atomically, keeping its permissions) and prints its name when
        it changed. With --check nothing is written: exit 1 and the file's name on standard output
        when it is not formatted, exit 0 when it is. A file that is not valid JSON with comments is
        reported as validate reports it (FILE:LINE:COL: message), left untouched, and exits 1.
        """
    static let options: [OptionSpec] = [
        CommonOptions.file,
        .flag("check", help: "Change nothing; exit 1 and name the file if it is not formatted."),
    ]

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        if let extra = arguments.positionals.first {
            throw UsageError("fmt takes no arguments, but got \"\(extra)\"; name the manifest with -f FILE", command: name)
        }
        let file = try context.manifestFile(arguments)
        let original = try ManifestLoader.contents(ofFileAt: file.url, displayPath: file.displayPath)
        let formatted = try ManifestFormatter.format(original, path: file.displayPath)
        if formatted == original { return .success }
        if arguments.flag("check") {
            context.standardOutput.line(file.displayPath)
            context.standardError.line("\(file.displayPath) is not formatted; run 'evoform fmt -f \(file.displayPath)' to format it.")
            return .failure
        }
        try AtomicFile.replace(file.url, with: formatted, displayPath: file.displayPath)
        context.standardOutput.line(file.displayPath)
        return .success
    }
}
