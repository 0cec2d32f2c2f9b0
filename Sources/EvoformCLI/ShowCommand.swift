import EvoformCore
import EvoformRendering
import EvoformState
import Foundation

/// `evoform show [PLANFILE]`: a saved plan, or what the state holds.
struct ShowCommand: Command {
    static let name = "show"
    static let abstract = "Show a saved plan, or the managed instances recorded in the state."
    static let synopsis = "[PLANFILE] [--json] [--state PATH] [--no-color]"
    static let options: [OptionSpec] = [CommonOptions.json, CommonOptions.state, CommonOptions.lockTimeout, CommonOptions.noColor]

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        guard let path = arguments.positionals.first else { return try showState(arguments, in: context) }
        let saved = try SavedPlan(contentsOf: context.resolve(path: path), displayPath: path)
        guard let plan = PlanDocument.plan(from: saved.plan) else { throw SavedPlanError.malformed(path) }
        if arguments.flag("json") {
            context.standardOutput.line(PlanDocument.json(plan, secrets: .masked).prettyText())
        } else {
            context.standardOutput.line("Saved plan for \(saved.serverURL) (\(saved.apiVersion.rawValue)), manifest \(saved.manifestPath), state serial \(saved.serial).\n")
            let style = TerminalStyle(enabled: context.useColor(noColorFlag: arguments.flag("no-color")))
            context.standardOutput.write(PlanTextRenderer(style: style).render(plan))
        }
        return .success
    }

    /// Every managed instance's record, as `state show` prints one.
    static func showState(_ arguments: ParsedArguments, in context: CommandContext) throws -> ExitStatus {
        let instances: [ManagedInstance]
        do {
            let store = try context.openState(arguments, command: name, operation: "show", createIfMissing: false)
            defer { store.close() }
            instances = try store.instances()
        } catch StateError.missing {
            instances = []
        }
        if arguments.flag("json") {
            context.standardOutput.line(JSONValue.array(instances.map(\.stateJSON)).prettyText())
        } else if instances.isEmpty {
            context.standardOutput.line("The state is empty: evoform manages no instance yet.")
        } else {
            context.standardOutput.write(instances.map(StateCommand.describe).joined(separator: "\n"))
        }
        return .success
    }
}
