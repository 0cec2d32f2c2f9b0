import EvoformApplier
import EvoformCore
import EvoformPlanner
import EvoformRendering
import Foundation

/// Carries out a plan for `apply` and `destroy`: confirmation, backup, progress, QR codes,
/// Ctrl-C, history, and the closing summary.
struct ApplyRun {
    let session: FleetSession
    let arguments: ParsedArguments
    var context: CommandContext { session.context }

    var json: Bool { arguments.flag("json") }

    var style: TerminalStyle { TerminalStyle(enabled: !json && context.useColor(noColorFlag: arguments.flag("no-color"))) }

    /// Asks for `yes` on a terminal; without one, refuses unless `--auto-approve`.
    func confirm(question: String) throws {
        if arguments.flag("auto-approve") { return }
        guard context.inputIsTerminal else { throw ApplyRefusal.noTerminal }
        context.standardOutput.write(
            "\n\(style.bold(question))\n  evoform will perform the actions described above.\n"
                + "  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
        guard context.readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else { throw ApplyRefusal.declined }
    }

    /// Runs the plan; exit 1 when anything failed or was interrupted.
    func execute(_ plan: Plan, desired: [DesiredInstance], observed: [InstanceName: ObservedInstance]) async throws -> ExitStatus {
        let renderer = ApplyProgressRenderer(format: json ? .jsonLines : .text(style))
        let output = context.standardOutput
        try session.store.backup()
        let qrDirectory = session.qrCodeDirectory
        let json = self.json
        let drawQR = !json && output.isTerminal
        let interruption = InterruptionFlag()
        let watcher = InterruptWatcher(interruption: interruption, standardError: context.standardError)
        defer { watcher.stop() }
        let report = await session.applier { event in
            if let line = renderer.line(for: event) { output.line(line) }
            if case .qrCode(let name, let code, let png) = event {
                QRCodeOutput.write(name: name, code: code, png: png, directory: qrDirectory, output: output, draw: drawQR, json: json)
            }
        }.apply(plan, desired: desired, observed: observed, interruption: interruption)
        try session.store.recordApply(user: context.environment["USER"] ?? "unknown", summary: summary(report))
        output.line(renderer.summary(report))
        return report.succeeded ? .success : .failure
    }

    func summary(_ report: ApplyReport) -> JSONValue {
        .object([
            "created": .number(Double(report.count(.create))), "updated": .number(Double(report.count(.update))),
            "replaced": .number(Double(report.count(.replace))), "deleted": .number(Double(report.count(.delete))),
            "forgotten": .number(Double(report.count(.forget))), "failed": .number(Double(report.failures.count)),
            "skipped": .number(Double(report.skipped.count)),
        ])
    }
}

enum ApplyRefusal: UserFacingError {
    case noTerminal
    case declined

    var userMessage: String {
        switch self {
        case .noTerminal:
            "apply needs confirmation, but there is no terminal to ask on; pass --auto-approve, or apply a saved plan "
                + "('evoform plan --out plan.json' then 'evoform apply plan.json')"
        case .declined: "apply cancelled: only 'yes' approves. Nothing was changed"
        }
    }
}
