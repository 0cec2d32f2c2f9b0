import EvoformCore

/// The `evoform` command line: picks the subcommand, parses its options, runs it.
public enum Evoform {
    /// Every subcommand, in the order `evoform --help` lists them.
    public static let commands: [any Command.Type] = [
        ValidateCommand.self,
        PlanCommand.self,
        ApplyCommand.self,
        DestroyCommand.self,
        ImportCommand.self,
        ShowCommand.self,
        StateCommand.self,
        ForceUnlockCommand.self,
        QRCommand.self,
        SimCommand.self,
        DemoCommand.self,
        SchemaCommand.self,
        FmtCommand.self,
        CompletionCommand.self,
        VersionCommand.self,
    ]

    public static let version = "0.1.0"

    /// Runs one command line (without the program name) and returns the exit status.
    public static func main(arguments: [String], context: CommandContext) async -> ExitStatus {
        let presenter = ErrorPresenter(
            standardError: context.standardError,
            useColor: context.standardError.isTerminal && context.environment["NO_COLOR"] == nil
        )
        guard let first = arguments.first else {
            context.standardError.write(overview)
            return .usage
        }
        switch first {
        case "--help", "-help", "-h", "help":
            if first == "help", arguments.count > 1, let command = command(named: arguments[1]) {
                context.standardOutput.write(command.help)
            } else {
                context.standardOutput.write(overview)
            }
            return .success
        case "--version", "-version", "-v":
            context.standardOutput.line("evoform \(version)")
            return .success
        default:
            break
        }
        guard let command = command(named: first) else {
            var message = "unknown command \"\(first)\""
            if let suggestion = Suggestion.closest(to: first, in: commands.map { $0.name }) {
                message += "; did you mean \"\(suggestion)\"?"
            }
            return presenter.present(UsageError(message))
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains(where: { ["--help", "-help", "-h"].contains($0) }) {
            context.standardOutput.write(command.help)
            return .success
        }
        do {
            let parser = ArgumentParser(options: command.options, commandName: command.name)
            let parsed = try parser.parse(rest)
            return try await command.run(parsed, in: context)
        } catch {
            return presenter.present(error)
        }
    }

    static func command(named name: String) -> (any Command.Type)? {
        commands.first { $0.name == name }
    }

    static var overview: String {
        var text = """
            evoform: declarative fleets for the Evolution API (WhatsApp).

            Usage: evoform COMMAND [options]

            Commands:

            """
        let width = commands.map { $0.name.count }.max() ?? 0
        for command in commands {
            text += "  \(command.name)\(String(repeating: " ", count: width - command.name.count))  \(command.abstract)\n"
        }
        text += "\nRun 'evoform COMMAND --help' for a command's options.\n"
        return text
    }
}

/// `evoform version`.
struct VersionCommand: Command {
    static let name = "version"
    static let abstract = "Print the evoform version."
    static let synopsis = "[--json]"
    static let options: [OptionSpec] = [CommonOptions.json]

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        if arguments.flag("json") {
            context.standardOutput.line(JSONValue.object(["version": .string(Evoform.version)]).canonicalText)
        } else {
            context.standardOutput.line("evoform \(Evoform.version)")
        }
        return .success
    }
}
