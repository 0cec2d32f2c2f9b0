import EvoformCore
import EvoformPlanner
import EvoformRendering

/// `evoform destroy`: delete the instances evoform owns.
struct DestroyCommand: Command {
    static let name = "destroy"
    static let abstract = "Delete the instances evoform manages (all, or --target ones)."
    static let synopsis = "[-f FILE] [--state PATH] [--auto-approve] [--target NAME]..."
    static let discussion = """
        Deletes every instance in the state (logging out first where the server version needs it),
        or only the --target ones. Instances evoform did not create or import are never touched.
        An instance whose manifest entry has lifecycle.preventDestroy stops the whole destroy.
        Asks for 'yes' like apply.
        """
    static let options: [OptionSpec] =
        [
            .flag("auto-approve", help: "Skip the confirmation."),
            CommonOptions.target,
            .value("parallelism", placeholder: "N", help: "At most N deletions in flight (default 10)."),
            .flag("json", help: "Print one JSON object per line instead of text."),
            CommonOptions.noColor,
        ] + FleetSession.options

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        let session = try await FleetSession.open(arguments, in: context, operation: "destroy", contactServer: true)
        defer { session.close() }
        let run = ApplyRun(session: session, arguments: arguments)
        let progress = ApplyProgressRenderer(format: run.json ? .jsonLines : .text(run.style))
        try await session.recover { event in progress.line(for: event).map(context.standardOutput.line) }
        let (plan, observed) = try await session.plan(refresh: true, targets: arguments.targets, desired: [])
        let protected = session.manifest.instances.filter(\.lifecycle.preventDestroy).map(\.name)
        let blocked = plan.actionable.filter { $0.action == .delete && protected.contains($0.name) }
        if !blocked.isEmpty {
            throw PlanningError(problems: blocked.map { .preventDestroy($0.name, .delete) })
        }
        if run.json {
            context.standardOutput.line(JSONValue.object(["type": "plan", "plan": PlanDocument.json(plan, secrets: .masked)]).canonicalText)
        } else {
            context.standardOutput.write(PlanTextRenderer(style: run.style).render(plan))
        }
        guard plan.hasChanges else { return .success }
        try run.confirm(question: "Do you really want to destroy these instances?")
        return try await run.execute(plan, desired: [], observed: observed)
    }
}
