/// One option a command accepts.
public struct OptionSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `--name`; also `--name=true|false`.
        case flag
        /// `--name VALUE` or `--name=VALUE`.
        case value(placeholder: String)
    }

    /// The long name without dashes, e.g. `auto-approve`.
    public var name: String
    /// A one-letter short name, e.g. `f` for `-f`.
    public var short: Character?
    public var kind: Kind
    public var repeatable: Bool
    public var help: String

    public init(_ name: String, short: Character? = nil, kind: Kind = .flag, repeatable: Bool = false, help: String) {
        self.name = name
        self.short = short
        self.kind = kind
        self.repeatable = repeatable
        self.help = help
    }

    public static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name, kind: .flag, help: help)
    }

    public static func value(
        _ name: String, short: Character? = nil, placeholder: String, repeatable: Bool = false, help: String
    ) -> OptionSpec {
        OptionSpec(name, short: short, kind: .value(placeholder: placeholder), repeatable: repeatable, help: help)
    }

    /// How the option appears in help, e.g. `-f, --file FILE`.
    var synopsis: String {
        var text = short.map { "-\($0), " } ?? "    "
        text += "--\(name)"
        if case .value(let placeholder) = kind { text += " \(placeholder)" }
        return text
    }
}

/// Options shared by the commands that talk to a server or the state.
public enum CommonOptions {
    public static let file = OptionSpec.value(
        "file", short: "f", placeholder: "FILE", help: "The manifest (default: $EVOFORM_FILE, else evoform.json).")
    public static let state = OptionSpec.value(
        "state", placeholder: "PATH", help: "The state database (default: $EVOFORM_STATE, else state/evoform.db).")
    public static let json = OptionSpec.flag("json", help: "Print machine-readable JSON.")
    public static let noColor = OptionSpec.flag("no-color", help: "Never colour the output.")
    public static let server = OptionSpec.value(
        "server", placeholder: "URL", help: "The server URL (default: $EVOLUTION_API_URL, else the manifest).")
    public static let apiKey = OptionSpec.value(
        "api-key", placeholder: "KEY", help: "The global API key (default: $EVOLUTION_API_KEY, else the manifest).")
    public static let timeout = OptionSpec.value(
        "timeout", placeholder: "SECONDS", help: "Per-request timeout in whole seconds (default 30).")
    public static let lockTimeout = OptionSpec.value(
        "lock-timeout", placeholder: "DURATION", help: "How long to wait for the state lock, e.g. 30s (default 0s).")
    public static let insecure = OptionSpec.flag("insecure", help: "Skip TLS certificate verification (warned).")
    public static let caFile = OptionSpec.value(
        "ca-file", placeholder: "FILE", help: "Verify https against the CA certificates in this PEM file (default: the system's).")
    public static let target = OptionSpec.value(
        "target", placeholder: "NAME", repeatable: true, help: "Limit the run to this instance.")

    /// The connection and state options of every command that talks to a server.
    public static let remote: [OptionSpec] = [file, state, server, apiKey, timeout, lockTimeout, insecure, caFile]
}
