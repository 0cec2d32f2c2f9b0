import EvoformApplier
import EvoformCore
import EvoformPlanner
import EvoformRendering
import Foundation

/// `evoform plan`: what apply would change, and nothing else.
struct PlanCommand: Command {
    static let name = "plan"
    static let abstract = "Show what apply would change on the server."
    static let synopsis = "[-f FILE] [--state PATH] [--out PLANFILE] [--json] [--detailed-exitcode] [--refresh=false] [--target NAME]... [--no-color]"
    static let discussion = """
        Reads the manifest, the state and (unless --refresh=false) the live server, and prints the
        changes apply would make: + create, ~ update in place, -/+ replace, - delete. Changes made
        outside evoform are reported separately as drift. Secrets show as (sensitive).

        Exit codes: 0 success (with --detailed-exitcode: no changes), 1 error, 2 changes present
        (--detailed-exitcode only), 3 state locked.
        """
    static let options: [OptionSpec] =
        [
            .value("out", placeholder: "PLANFILE", help: "Save the plan for 'evoform apply PLANFILE' (holds no secret)."),
            CommonOptions.json,
            .value("format", placeholder: "FORMAT", help: "Output format: text, json or markdown (default text)."),
            .value("summary-md", placeholder: "FILE", help: "Also write a Markdown summary for a pull request to FILE."),
            .flag("detailed-exitcode", help: "Exit 0 when there are no changes, 2 when there are."),
            .flag("refresh", help: "Ask the server (default true); --refresh=false plans from the state alone."),
            CommonOptions.target,
            .value("parallelism", placeholder: "N", help: "At most N requests in flight while observing (default 10)."),
            CommonOptions.noColor,
        ] + FleetSession.options

    enum Format: String { case text, json, markdown }

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        let format = try outputFormat(arguments)
        let refresh = arguments.flag("refresh", default: true)
        let session = try await FleetSession.open(arguments, in: context, operation: "plan", contactServer: refresh)
        defer { session.close() }
        let progress = ApplyProgressRenderer(format: .text(TerminalStyle(enabled: false)))
        if refresh {
            try await session.recover { event in progress.line(for: event).map(context.standardError.line) }
        } else if try !session.store.unfinishedJournalEntries().isEmpty {
            context.standardError.line(
                "Warning: an earlier apply was interrupted; run a refreshed plan or apply to resolve it against the server.")
        }
        let (plan, _) = try await session.plan(refresh: refresh, targets: arguments.targets)

        switch format {
        case .text:
            let style = TerminalStyle(enabled: context.useColor(noColorFlag: arguments.flag("no-color")))
            context.standardOutput.write(PlanTextRenderer(style: style).render(plan))
        case .json:
            context.standardOutput.line(PlanDocument.json(plan, secrets: .masked).prettyText())
        case .markdown:
            context.standardOutput.write(PlanMarkdownRenderer().render(plan))
        }
        if let summaryPath = arguments.value("summary-md") {
            try Data(PlanMarkdownRenderer().render(plan).utf8).write(to: context.resolve(path: summaryPath), options: .atomic)
        }
        if let out = arguments.value("out") {
            let saved = SavedPlan(
                lineage: session.store.lineage, serial: session.store.serial, manifestPath: session.manifest.path,
                manifestDigest: SHA256.hexDigest(session.manifest.contents), serverURL: session.serverURL,
                apiVersion: session.apiVersion, refreshed: refresh, targets: arguments.all("target"),
                secretFingerprints: SavedPlan.fingerprints(of: session.manifest.instances, using: session.store.fingerprinter),
                plan: PlanDocument.json(plan, secrets: .fingerprints))
            try saved.write(to: context.resolve(path: out))
            if format == .text {
                context.standardOutput.line("\nSaved the plan to \(out). To perform exactly these actions, run: evoform apply \(out)")
            }
        }
        if arguments.flag("detailed-exitcode") { return plan.hasChanges ? .changesPresent : .success }
        return .success
    }

    static func outputFormat(_ arguments: ParsedArguments) throws -> Format {
        if arguments.flag("json") { return .json }
        guard let text = arguments.value("format") else { return .text }
        guard let format = Format(rawValue: text) else {
            throw UsageError("--format takes text, json or markdown, not \"\(text)\"", command: name)
        }
        return format
    }
}
