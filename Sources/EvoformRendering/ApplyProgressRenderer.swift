import EvoformApplier
import EvoformCore
import EvoformPlanner

/// Progress of an apply for people (a line per instance as it starts and ends) or for pipelines
/// (one JSON object per line).
public struct ApplyProgressRenderer: Sendable {
    public enum Format: Sendable {
        case text(TerminalStyle)
        case jsonLines
    }

    public var format: Format

    public init(format: Format) { self.format = format }

    /// The line for one event, or nil when the format does not show it.
    public func line(for event: ApplyEvent) -> String? {
        switch format {
        case .text(let style): textLine(event, style: style)
        case .jsonLines: jsonLine(event).canonicalText
        }
    }

    /// The closing summary.
    public func summary(_ report: ApplyReport) -> String {
        switch format {
        case .text(let style):
            var text = ""
            if !report.failures.isEmpty {
                text += "\n" + style.bold(style.red("Apply failed for \(report.failures.count) instance(s):")) + "\n"
                for failure in report.failures {
                    text += "  - \(failure.name) (\(failure.action.rawValue)): \(failure.message)\n"
                }
            }
            if !report.skipped.isEmpty {
                text += "\n" + style.yellow("Interrupted: \(report.skipped.count) change(s) not started: ")
                    + report.skipped.map(\.rawValue).joined(separator: ", ") + "\n"
            }
            let line = "Apply complete: \(report.count(.create)) created, \(report.count(.update)) updated, "
                + "\(report.count(.replace)) replaced, \(report.count(.delete)) deleted."
            text += "\n" + style.bold(report.succeeded ? style.green(line) : line)
            if report.count(.forget) > 0 { text += " \(report.count(.forget)) forgotten." }
            return text
        case .jsonLines:
            return JSONValue.object([
                "type": "summary",
                "created": .number(Double(report.count(.create))),
                "updated": .number(Double(report.count(.update))),
                "replaced": .number(Double(report.count(.replace))),
                "deleted": .number(Double(report.count(.delete))),
                "forgotten": .number(Double(report.count(.forget))),
                "failed": .array(report.failures.map {
                    ["instance": .string($0.name.rawValue), "action": .string($0.action.rawValue), "message": .string($0.message)]
                }),
                "skipped": .array(report.skipped.map { .string($0.rawValue) }),
                "success": .bool(report.succeeded),
            ]).canonicalText
        }
    }

    private func textLine(_ event: ApplyEvent, style: TerminalStyle) -> String? {
        switch event {
        case .started(let name, let action):
            return "\(style.bold(name.rawValue)): \(Self.progressive(action))..."
        case .called:
            return nil
        case .finished(let name, let action, let elapsed):
            return "\(style.bold(name.rawValue)): \(Self.completed(action)) after \(Self.seconds(elapsed))"
        case .failed(let failure):
            return style.red("\(failure.name): \(failure.action.rawValue) failed: \(failure.message)")
        case .qrCode(let name, _, _):
            return "\(style.bold(name.rawValue)): QR code received"
        case .recovered(let name, let message):
            return style.yellow("\(name): \(message)")
        case .warning(let name, let message):
            return style.yellow("Warning: " + (name.map { "\($0): " } ?? "") + message)
        }
    }

    private func jsonLine(_ event: ApplyEvent) -> JSONValue {
        switch event {
        case .started(let name, let action):
            ["type": "start", "instance": .string(name.rawValue), "action": .string(action.rawValue)]
        case .called(let name, let call):
            ["type": "call", "instance": .string(name.rawValue), "call": .string(call)]
        case .finished(let name, let action, let elapsed):
            [
                "type": "complete", "instance": .string(name.rawValue), "action": .string(action.rawValue),
                "elapsed_seconds": .number((elapsed * 1000).rounded() / 1000),
            ]
        case .failed(let failure):
            [
                "type": "error", "instance": .string(failure.name.rawValue), "action": .string(failure.action.rawValue),
                "message": .string(failure.message),
            ]
        case .qrCode(let name, _, _):
            ["type": "qrcode", "instance": .string(name.rawValue)]
        case .recovered(let name, let message):
            ["type": "recovered", "instance": .string(name.rawValue), "message": .string(message)]
        case .warning(let name, let message):
            ["type": "warning", "instance": name.map { .string($0.rawValue) } ?? .null, "message": .string(message)]
        }
    }

    static func progressive(_ action: ChangeAction) -> String {
        switch action {
        case .create: "Creating"
        case .update: "Modifying"
        case .replace: "Replacing"
        case .delete: "Destroying"
        case .forget: "Forgetting"
        case .noop: "Checking"
        }
    }

    static func completed(_ action: ChangeAction) -> String {
        switch action {
        case .create: "Creation complete"
        case .update: "Modifications complete"
        case .replace: "Replacement complete"
        case .delete: "Destruction complete"
        case .forget: "Forgotten"
        case .noop: "Nothing to do"
        }
    }

    static func seconds(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return "\(tenths)s"
    }
}
