import EvoformCore
import EvoformPlanner

/// A pull-request-ready summary of a plan: counts, a table of instances and actions with
/// deletions highlighted, per-instance details folded, drift apart. Kept under GitHub's comment
/// limit with a note saying what was left out.
public struct PlanMarkdownRenderer: Sendable {
    /// GitHub rejects comments longer than this many characters.
    public static let defaultLimit = 65_536

    public var limit: Int

    public init(limit: Int = PlanMarkdownRenderer.defaultLimit) { self.limit = limit }

    public func render(_ plan: Plan) -> String {
        let text = PlanTextRenderer(style: TerminalStyle(enabled: false))
        var head = "## evoform plan\n\n"
        guard plan.hasChanges || !plan.drift.isEmpty else {
            return head + "**No changes.** The fleet matches the manifest.\n"
        }
        head += plan.hasChanges ? "**\(text.summary(plan))**\n\n" : "**No changes.** The fleet matches the manifest.\n\n"
        let deletions = plan.actionable.filter { $0.action == .delete || $0.action == .replace }
        if !deletions.isEmpty {
            head += "> [!WARNING]\n> \(deletions.count) instance(s) will be deleted or replaced: "
                + deletions.map { "`\($0.name)`" }.joined(separator: ", ") + "\n\n"
        }

        var sections: [String] = []
        if plan.hasChanges {
            var table = "| Instance | Action | Calls |\n| --- | --- | --- |\n"
            for change in plan.actionable {
                let action = change.action == .delete || change.action == .replace
                    ? "**\(change.action.symbol) \(change.action.rawValue)**" : "\(change.action.symbol) \(change.action.rawValue)"
                let calls = Endpoint.calls(for: change).map { "`\($0)`" }.joined(separator: "<br>")
                table += "| `\(change.name)` | \(action) | \(calls.isEmpty ? "none" : calls) |\n"
            }
            sections.append(table)
            for change in plan.actionable {
                let body = text.renderChange(change)
                sections.append("<details><summary><code>\(change.name)</code>: \(change.action.rawValue)</summary>\n\n```diff\n\(body)```\n\n</details>\n")
            }
        }
        if !plan.drift.isEmpty {
            sections.append("### Changed outside evoform\n\n```\n\(text.renderDrift(plan.drift))```\n")
        }
        return fit(head: head, sections: sections)
    }

    /// Adds sections in order until the limit, then a note naming how many were left out.
    private func fit(head: String, sections: [String]) -> String {
        var output = head
        var length = head.count
        for (index, section) in sections.enumerated() {
            let remaining = sections.count - index
            let note = "\n_…truncated: \(remaining) more section(s) not shown (GitHub's limit is \(limit) characters). "
                + "Run `evoform plan` for the full plan._\n"
            let sectionLength = section.count + 1
            if length + sectionLength + note.count > limit {
                return output + note
            }
            output += section + "\n"
            length += sectionLength
        }
        return output
    }
}
