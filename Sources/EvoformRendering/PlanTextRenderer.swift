import EvoformCore
import EvoformPlanner

/// Renders a plan the way Terraform users read one: drift first, then a block per changed
/// instance with per-field diffs, then the summary line.
public struct PlanTextRenderer: Sendable {
    public var style: TerminalStyle

    public init(style: TerminalStyle) { self.style = style }

    public func render(_ plan: Plan) -> String {
        var text = ""
        if !plan.drift.isEmpty { text += renderDrift(plan.drift) + "\n" }
        guard plan.hasChanges else {
            return text + style.bold(style.green("No changes.")) + style.bold(" The fleet matches the manifest.") + "\n"
        }
        text += "evoform will perform the following actions:\n\n"
        for change in plan.actionable { text += renderChange(change) + "\n" }
        text += summary(plan) + "\n"
        return text
    }

    /// `Plan: N to create, N to update, N to replace, N to delete.`
    public func summary(_ plan: Plan) -> String {
        var line = "Plan: \(plan.count(.create)) to create, \(plan.count(.update)) to update, "
            + "\(plan.count(.replace)) to replace, \(plan.count(.delete)) to delete."
        let forgotten = plan.count(.forget)
        if forgotten > 0 { line += " \(forgotten) to forget from the state." }
        return style.bold(line)
    }

    func renderDrift(_ drift: [Drift]) -> String {
        var text = style.bold("Note: objects have changed outside of evoform") + "\n\n"
        for item in drift {
            switch item.kind {
            case .deletedOutside:
                text += "  # \(item.name) was deleted outside evoform\n"
            case .changedOutside(let changes):
                text += "  # \(item.name) was changed outside evoform\n"
                text += fieldLines(changes, symbol: style.yellow("~"), indent: "    ")
            }
        }
        return text
    }

    func renderChange(_ change: InstanceChange) -> String {
        let name = change.name.rawValue
        var text = ""
        let symbol: String
        switch change.action {
        case .create:
            text += "  # \(style.bold(name)) will be created\n"
            symbol = style.green("  +")
        case .update:
            let calls = Endpoint.calls(for: change).joined(separator: ", ")
            text += "  # \(style.bold(name)) will be updated in place (\(calls))\n"
            symbol = style.yellow("  ~")
        case .replace:
            text += "  # \(style.bold(name)) must be replaced: \(change.reason ?? "a field cannot change after creation")\n"
            symbol = style.red("-") + "/" + style.green("+")
        case .delete:
            text += "  # \(style.bold(name)) will be deleted\n"
            symbol = style.red("  -")
        case .forget:
            return "  # \(style.bold(name)) is gone from the server and the manifest: it will be forgotten (no call)\n"
        case .noop:
            return ""
        }
        for warning in change.warnings { text += "  # " + style.yellow("warning: \(warning)") + "\n" }
        text += "\(symbol) instance \"\(name)\" {\n"
        text += fieldLines(change.fieldChanges, symbol: nil, indent: "      ", forcing: change.action == .replace)
        text += "    }\n"
        return text
    }

    /// One line per field, names aligned: `+ name = value`, `~ name = old -> new`, `- name = old -> null`.
    func fieldLines(_ changes: [FieldChange], symbol fixed: String?, indent: String, forcing: Bool = false) -> String {
        let width = changes.map(\.field.rawValue.count).max() ?? 0
        var text = ""
        for change in changes {
            let name = change.field.rawValue + String(repeating: " ", count: width - change.field.rawValue.count)
            let line: String
            switch (change.before, change.after) {
            case (nil, let after?):
                line = "\(fixed ?? style.green("+")) \(name) = \(after)"
            case (let before?, nil):
                line = "\(fixed ?? style.red("-")) \(name) = \(before) -> null"
            case (let before?, let after?):
                line = "\(fixed ?? style.yellow("~")) \(name) = \(before) -> \(after)"
            case (nil, nil):
                continue
            }
            let note = forcing && change.field.group == .replaceForcing ? style.red(" # forces replacement") : ""
            text += indent + line + note + "\n"
        }
        return text
    }
}
