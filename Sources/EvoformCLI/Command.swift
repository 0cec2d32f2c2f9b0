import EvoformCore

/// One `evoform` subcommand. Commands parse nothing themselves and never print errors: they
/// throw, and `ErrorPresenter` turns errors into text and exit codes.
public protocol Command: Sendable {
    /// The word after `evoform`.
    static var name: String { get }
    /// One line for the command list.
    static var abstract: String { get }
    /// The synopsis after `evoform NAME`, e.g. `[-f FILE] [--json]`.
    static var synopsis: String { get }
    /// Longer help: arguments, behaviour, examples. May be empty.
    static var discussion: String { get }
    static var options: [OptionSpec] { get }

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus
}

extension Command {
    public static var discussion: String { "" }

    /// The `--help` text.
    static var help: String {
        var text = "Usage: evoform \(name)\(synopsis.isEmpty ? "" : " " + synopsis)\n\n\(abstract)\n"
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        let all = options + [OptionSpec.flag("help", help: "Show this help.")]
        text += "\nOptions:\n"
        let width = all.map(\.synopsis.count).max() ?? 0
        for option in all {
            let padding = String(repeating: " ", count: width - option.synopsis.count)
            let repeatNote = option.repeatable ? " (repeatable)" : ""
            text += "  \(option.synopsis)\(padding)  \(option.help)\(repeatNote)\n"
        }
        text += "\nLong options also take one dash (-auto-approve, -out=FILE) and --name=value.\n"
        return text
    }
}
