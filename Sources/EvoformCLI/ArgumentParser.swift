import EvoformCore

/// A command line that cannot be understood. Printed with the command's usage; exit 64.
public struct UsageError: UserFacingError, Equatable {
    public var message: String
    /// The command whose usage to show (`evoform plan`), if known.
    public var command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    public var userMessage: String { message }
    public var exitStatus: ExitStatus { .usage }
}

/// Parses arguments against a list of options, written by hand to accept what Terraform users
/// type: `--name value`, `--name=value`, `-name`, `-name=value`, `-f value`, repeatable options,
/// and `--` to end options.
public struct ArgumentParser: Sendable {
    public var options: [OptionSpec]
    public var commandName: String

    public init(options: [OptionSpec], commandName: String) {
        self.options = options
        self.commandName = commandName
    }

    public func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            let body = argument.hasPrefix("--") ? String(argument.dropFirst(2)) : String(argument.dropFirst())
            let (name, inlineValue) = split(body)
            guard let option = lookup(name, singleDash: !argument.hasPrefix("--")) else {
                throw unknownOption(argument, name: name)
            }
            switch option.kind {
            case .flag:
                if let inlineValue {
                    guard let value = Self.boolean(inlineValue) else {
                        throw UsageError(
                            "option --\(option.name) takes true or false, not \"\(inlineValue)\"", command: commandName)
                    }
                    parsed.flags[option.name] = value
                } else {
                    parsed.flags[option.name] = true
                }
            case .value(let placeholder):
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw UsageError("option --\(option.name) needs a value (\(placeholder))", command: commandName)
                }
                if option.repeatable {
                    parsed.values[option.name, default: []].append(value)
                } else {
                    parsed.values[option.name] = [value]
                }
            }
        }
        return parsed
    }

    private func split(_ body: String) -> (String, String?) {
        guard let equals = body.firstIndex(of: "=") else { return (body, nil) }
        return (String(body[..<equals]), String(body[body.index(after: equals)...]))
    }

    private func lookup(_ name: String, singleDash: Bool) -> OptionSpec? {
        if singleDash, name.count == 1, let short = name.first {
            return options.first { $0.short == short }
        }
        return options.first { $0.name == name }
    }

    private func unknownOption(_ argument: String, name: String) -> UsageError {
        var message = "unknown option \(argument) for \(commandName)"
        if let suggestion = Suggestion.closest(to: name, in: options.map(\.name)) {
            message += "; did you mean --\(suggestion)?"
        }
        return UsageError(message, command: commandName)
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes": true
        case "false", "0", "no": false
        default: nil
        }
    }
}
