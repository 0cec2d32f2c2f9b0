import Foundation
import EvoformApplier
import EvoformCore

/// `evoform import NAME...`: adopt instances that already exist on the server.
struct ImportCommand: Command {
    static let name = "import"
    static let abstract = "Adopt existing server instances named in the manifest into the state."
    static let synopsis = "NAME... [-f FILE] [--state PATH]"
    static let discussion = """
        Reads each instance's configuration from the server and records it in the state, so the
        next plan shows only real differences between the manifest and the server. Each NAME must be
        in the manifest and on the server, and not already managed. Nothing on the server changes.
        """
    static let options: [OptionSpec] = FleetSession.options

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        guard !arguments.positionals.isEmpty else {
            throw UsageError("import needs at least one instance NAME", command: name)
        }
        let session = try await FleetSession.open(arguments, in: context, operation: "import", contactServer: true)
        defer { session.close() }
        let desiredByName = Dictionary(session.manifest.instances.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var problems: [String] = []
        var names: [InstanceName] = []
        for raw in arguments.positionals {
            let name = InstanceName(raw)
            if desiredByName[name] == nil {
                let suggestion = Suggestion.closest(to: raw, in: desiredByName.keys.map(\.rawValue))
                problems.append("\"\(raw)\" is not in the manifest \(session.manifest.path); add it first" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""))
            } else if try session.store.instance(named: name) != nil {
                problems.append("\"\(raw)\" is already managed by evoform; nothing to import")
            } else {
                names.append(name)
            }
        }
        let wanted = session.observationRequest(desired: names.compactMap { desiredByName[$0] }, managed: [])
        let observed = try await session.client.observe(wanted, parallelism: session.parallelism)
        for name in names where observed[name] == nil {
            problems.append("\"\(name)\" does not exist on \(session.serverURL); 'evoform apply' would create it")
        }
        guard problems.isEmpty else { throw ImportError(problems: problems) }
        let now = Date().timeIntervalSince1970
        for name in names {
            let instance = observed[name]!
            let record = ManagedInstance(
                name: name, serverURL: session.serverURL, apiVersion: session.apiVersion, serverID: instance.serverID,
                configuration: Adoption.configuration(
                    desired: desiredByName[name], observed: instance, fingerprinter: session.store.fingerprinter),
                createdAt: now, updatedAt: now)
            try session.store.record(record)
            context.standardOutput.line("\(name): imported")
        }
        context.standardOutput.line("\nImport successful. Run 'evoform plan' to see how the server differs from the manifest.")
        return .success
    }
}

struct ImportError: UserFacingError {
    var problems: [String]
    var userMessage: String { "nothing was imported:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
}
