/// A command line after parsing against a command's options.
public struct ParsedArguments: Sendable, Equatable {
    /// Values per long option name, in the order given.
    public var values: [String: [String]] = [:]
    /// Flags given, with their boolean value (`--refresh=false` is a flag set to false).
    public var flags: [String: Bool] = [:]
    /// Positional arguments, including everything after `--`.
    public var positionals: [String] = []

    public init(values: [String: [String]] = [:], flags: [String: Bool] = [:], positionals: [String] = []) {
        self.values = values
        self.flags = flags
        self.positionals = positionals
    }

    /// The last value given for an option.
    public func value(_ name: String) -> String? { values[name]?.last }

    /// Every value of a repeatable option.
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Whether a flag is on; `default` when it was not given.
    public func flag(_ name: String, default defaultValue: Bool = false) -> Bool { flags[name] ?? defaultValue }
}
