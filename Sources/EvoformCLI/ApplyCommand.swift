import EvoformApplier
import EvoformCore
import EvoformPlanner
import EvoformRendering
import Foundation

/// `evoform apply [PLANFILE]`: make the server match the manifest.
struct ApplyCommand: Command {
    static let name = "apply"
    static let abstract = "Make the server match the manifest."
    static let synopsis = "[PLANFILE] [-f FILE] [--state PATH] [--auto-approve] [--parallelism N] [--target NAME]... [--json] [--no-color]"
    static let discussion = """
        Without PLANFILE: plans, shows the plan, and asks for 'yes' (a terminal is required unless
        --auto-approve). With PLANFILE (from 'evoform plan --out'): applies exactly that plan, or
        exits 4 without doing anything if the state, the manifest, a secret or the server changed
        since it was made.

        Every call is journalled before it is sent; an interrupted apply (Ctrl-C, kill -9, lost
        connection) is finished by the next plan or apply, which looks at the server first and never
        creates anything twice. The first Ctrl-C stops starting new calls; the second exits at once.
        """
    static let options: [OptionSpec] =
        [
            .flag("auto-approve", help: "Skip the confirmation."),
            .value("parallelism", placeholder: "N", help: "At most N changes in flight (default 10)."),
            CommonOptions.target,
            .flag("json", help: "Print one JSON object per line (plan, progress, summary) instead of text."),
            CommonOptions.noColor,
        ] + FleetSession.options

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        guard arguments.positionals.count <= 1 else {
            throw UsageError("apply takes at most one plan file, got \(arguments.positionals.count) arguments", command: name)
        }
        if let planPath = arguments.positionals.first { return try await applySaved(planPath, arguments, context) }

        let session = try await FleetSession.open(arguments, in: context, operation: "apply", contactServer: true)
        defer { session.close() }
        let run = ApplyRun(session: session, arguments: arguments)
        let progress = ApplyProgressRenderer(format: run.json ? .jsonLines : .text(run.style))
        try await session.recover { event in progress.line(for: event).map(context.standardOutput.line) }
        let (plan, observed) = try await session.plan(refresh: true, targets: arguments.targets)
        if run.json {
            context.standardOutput.line(JSONValue.object(["type": "plan", "plan": PlanDocument.json(plan, secrets: .masked)]).canonicalText)
        } else {
            context.standardOutput.write(PlanTextRenderer(style: run.style).render(plan))
        }
        guard plan.hasChanges else {
            if run.json { context.standardOutput.line(progress.summary(ApplyReport())) }
            return .success
        }
        try run.confirm(question: "Do you want to perform these actions?")
        return try await run.execute(plan, desired: session.manifest.instances, observed: observed)
    }

    /// Applies a saved plan only if everything it was made from is unchanged.
    static func applySaved(_ planPath: String, _ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitStatus {
        if !arguments.targets.isEmpty {
            throw UsageError("--target cannot be combined with a saved plan; pass it to 'evoform plan' instead", command: name)
        }
        let saved = try SavedPlan(contentsOf: context.resolve(path: planPath), displayPath: planPath)
        let session = try await FleetSession.open(arguments, in: context, operation: "apply", contactServer: true)
        defer { session.close() }
        func stale(_ reason: String) -> SavedPlanError { .stale(planPath, reason: reason) }
        guard saved.lineage == session.store.lineage else { throw stale("it was made for another state file") }
        guard saved.serial == session.store.serial else {
            throw stale("the state changed since (serial \(saved.serial) -> \(session.store.serial))")
        }
        guard saved.manifestDigest == SHA256.hexDigest(session.manifest.contents) else {
            throw stale("the manifest \(session.manifest.path) changed since")
        }
        let secrets = SavedPlan.fingerprints(of: session.manifest.instances, using: session.store.fingerprinter)
        guard saved.secretFingerprints == secrets else { throw stale("a secret in the environment changed since") }
        guard saved.serverURL == session.serverURL, saved.apiVersion == session.apiVersion else {
            throw stale("it was made for \(saved.serverURL) (\(saved.apiVersion.rawValue))")
        }
        guard try session.store.unfinishedJournalEntries().isEmpty else {
            throw stale("an apply was interrupted since")
        }
        let (plan, observed) = try await session.plan(refresh: saved.refreshed, targets: Set(saved.targets.map { InstanceName($0) }))
        guard PlanDocument.json(plan, secrets: .fingerprints) == saved.plan else {
            throw stale("the server changed since the plan was made")
        }
        let run = ApplyRun(session: session, arguments: arguments)
        guard plan.hasChanges else {
            context.standardOutput.write(PlanTextRenderer(style: run.style).render(plan))
            return .success
        }
        return try await run.execute(plan, desired: session.manifest.instances, observed: observed)
    }
}
