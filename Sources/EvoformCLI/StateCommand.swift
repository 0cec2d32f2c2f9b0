import EvoformCore
import EvoformState
import Foundation

/// `evoform state list | show NAME | rm NAME... | mv OLD NEW | pull`: look at and correct the
/// state by hand, without touching any server.
struct StateCommand: Command {
    static let name = "state"
    static let abstract = "Inspect or correct the state (list, show, rm, mv, pull); never touches a server."
    static let synopsis = "list | show NAME | rm NAME... | mv OLD NEW | pull  [--state PATH] [--json] [--lock-timeout DURATION]"
    static let discussion = """
        Subcommands:
          list          The managed instances, one name per line (--json: an array of names).
          show NAME     One instance's record: server, ids, times and the last applied
                        configuration; secrets print as (sensitive) (--json: the record, secrets
                        as fingerprints).
          rm NAME...    Forget instances: evoform stops managing them. Nothing is deleted on the
                        server. A copy of the state is saved to <state>.backup first.
          mv OLD NEW    Rename an instance's record, e.g. after renaming it on the server. Nothing
                        is changed on the server. A copy is saved to <state>.backup first.
          pull          The whole state as JSON (instances, journal, history); secrets only as
                        fingerprints, never the salt.

        Every subcommand takes the state lock for its run (exit 3 if another run holds it; wait
        with --lock-timeout). A state that does not exist yet is empty: list prints nothing and
        pull prints nothing; no file is created.
        """
    static let options: [OptionSpec] = [CommonOptions.state, CommonOptions.json, CommonOptions.lockTimeout]

    static let subcommands = ["list", "show", "rm", "mv", "pull"]

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        guard let subcommand = arguments.positionals.first else {
            throw UsageError("missing subcommand; expected one of: \(subcommands.joined(separator: ", "))", command: name)
        }
        let operands = Array(arguments.positionals.dropFirst())
        switch subcommand {
        case "list":
            try expect(operands, count: 0, usage: "state list")
            return try list(arguments, context: context)
        case "show":
            try expect(operands, count: 1, usage: "state show NAME")
            return try show(InstanceName(operands[0]), arguments, context: context)
        case "rm":
            guard !operands.isEmpty else { throw UsageError("state rm needs at least one instance name: state rm NAME...", command: name) }
            return try remove(operands.map { InstanceName($0) }, arguments, context: context)
        case "mv":
            try expect(operands, count: 2, usage: "state mv OLD NEW")
            return try move(InstanceName(operands[0]), to: InstanceName(operands[1]), arguments, context: context)
        case "pull":
            try expect(operands, count: 0, usage: "state pull")
            return try pull(arguments, context: context)
        default:
            var message = "unknown subcommand \"\(subcommand)\""
            if let suggestion = Suggestion.closest(to: subcommand, in: subcommands) {
                message += "; did you mean \"\(suggestion)\"?"
            }
            throw UsageError(message + " Expected one of: \(subcommands.joined(separator: ", "))", command: name)
        }
    }

    private static func expect(_ operands: [String], count: Int, usage: String) throws(UsageError) {
        guard operands.count != count else { return }
        throw UsageError(
            "\(usage) takes \(count == 0 ? "no" : String(count)) argument\(count == 1 ? "" : "s"), got \(operands.count)",
            command: name)
    }

    /// Opens the state for a subcommand; nil when there is no state file (an empty state).
    /// `readOnly` (`list`, `show`): while another run holds the state, read what it has committed
    /// so far without the lock (as Terraform's `state list` does not lock), and say so.
    private static func open(
        _ arguments: ParsedArguments, context: CommandContext, subcommand: String, readOnly: Bool = false
    ) throws -> StateStore? {
        do {
            return try context.openState(arguments, command: name, operation: "state \(subcommand)", createIfMissing: false)
        } catch StateError.missing {
            return nil
        } catch StateError.locked(let holder, _) where readOnly {
            let store = try StateStore.openSnapshot(at: try context.stateURL(arguments, command: name), heldBy: holder)
            let who = holder.map { "the state is held by \($0.summary)" } ?? "another run holds the state"
            context.standardError.line("Note: \(who); showing what it has committed so far.")
            return store
        }
    }

    private static func list(_ arguments: ParsedArguments, context: CommandContext) throws -> ExitStatus {
        var names: [String] = []
        if let store = try open(arguments, context: context, subcommand: "list", readOnly: true) {
            defer { store.close() }
            names = try store.instances().map(\.name.rawValue)
        }
        if arguments.flag("json") {
            context.standardOutput.line(JSONValue.array(names.map { .string($0) }).prettyText())
        } else {
            for name in names { context.standardOutput.line(name) }
        }
        return .success
    }

    private static func show(_ name: InstanceName, _ arguments: ParsedArguments, context: CommandContext) throws -> ExitStatus {
        guard let store = try open(arguments, context: context, subcommand: "show", readOnly: true) else {
            throw StateError.notFound(name, didYouMean: nil)
        }
        defer { store.close() }
        guard let instance = try store.instance(named: name) else { throw store.notFoundError(name) }
        if arguments.flag("json") {
            context.standardOutput.line(instance.stateJSON.prettyText())
        } else {
            context.standardOutput.write(describe(instance))
        }
        return .success
    }

    /// The readable form of a record: secrets are `(sensitive)`.
    static func describe(_ instance: ManagedInstance) -> String {
        var text = "# \(instance.name)\n"
        let rows: [(String, String)] = [
            ("server", instance.serverURL),
            ("api version", instance.apiVersion.rawValue),
            ("server id", instance.serverID ?? "(unknown)"),
            ("created", timestamp(instance.createdAt)),
            ("updated", timestamp(instance.updatedAt)),
        ]
        for (label, value) in rows {
            text += label + ":" + String(repeating: " ", count: 13 - label.count) + value + "\n"
        }
        let fields = instance.configuration.fields
        guard !fields.isEmpty else { return text + "configuration: (no managed fields)\n" }
        text += "configuration:\n"
        let width = fields.map(\.rawValue.count).max() ?? 0
        for field in fields {
            let value = instance.configuration[field].map(\.description) ?? ""
            text += "  \(field.rawValue)\(String(repeating: " ", count: width - field.rawValue.count)) = \(value)\n"
        }
        return text
    }

    private static func timestamp(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    private static func remove(_ names: [InstanceName], _ arguments: ParsedArguments, context: CommandContext) throws -> ExitStatus {
        guard let store = try open(arguments, context: context, subcommand: "rm") else {
            throw StateError.notFound(names[0], didYouMean: nil)
        }
        defer { store.close() }
        for name in names where try store.instance(named: name) == nil { throw store.notFoundError(name) }
        try store.backup()
        for name in Array(Set(names)).sorted() {
            try store.forget(name)
            context.standardOutput.line(
                "Removed \(name) from the state. The instance on the server was not touched; evoform no longer manages it.")
        }
        return .success
    }

    private static func move(
        _ old: InstanceName, to new: InstanceName, _ arguments: ParsedArguments, context: CommandContext
    ) throws -> ExitStatus {
        guard !new.rawValue.isEmpty, new.rawValue.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw UsageError("the new name \"\(new)\" is not an instance name: use lowercase letters and digits only", command: name)
        }
        guard let store = try open(arguments, context: context, subcommand: "mv") else {
            throw StateError.notFound(old, didYouMean: nil)
        }
        defer { store.close() }
        guard try store.instance(named: old) != nil else { throw store.notFoundError(old) }
        if old == new {
            context.standardOutput.line("\(old) already has that name; nothing to do.")
            return .success
        }
        guard try store.instance(named: new) == nil else { throw StateError.alreadyExists(new) }
        try store.backup()
        try store.rename(old, to: new)
        context.standardOutput.line(
            "Moved \(old) to \(new) in the state. Nothing was changed on the server; evoform now manages the instance named \(new).")
        return .success
    }

    private static func pull(_ arguments: ParsedArguments, context: CommandContext) throws -> ExitStatus {
        guard let store = try open(arguments, context: context, subcommand: "pull") else {
            let path = try context.stateURL(arguments, command: name).path
            context.standardError.line("No state at \(path); nothing to pull.")
            return .success
        }
        defer { store.close() }
        context.standardOutput.line(try store.pull().prettyText())
        return .success
    }
}
