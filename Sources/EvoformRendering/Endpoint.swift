import Foundation
import EvoformCore
import EvoformPlanner

/// The server endpoints a planned change calls, for people reading a plan.
public enum Endpoint {
    public static func setPath(for group: FieldGroup) -> String? {
        switch group {
        case .webhook: "POST /webhook/set/{name}"
        case .chatwoot: "POST /chatwoot/set/{name}"
        case .settings: "POST /settings/set/{name}"
        case .createOnly, .replaceForcing: nil
        }
    }

    /// Every call a change makes, in order, with the instance name filled in.
    public static func calls(for change: InstanceChange) -> [String] {
        let name = change.name.rawValue
        func filled(_ path: String) -> String { path.replacingOccurrences(of: "{name}", with: name) }
        switch change.action {
        case .create: return ["POST /instance/create"]
        case .update: return change.groupsToSet.compactMap(setPath(for:)).map(filled)
        case .replace: return ["DELETE /instance/delete/\(name)", "POST /instance/create"]
        case .delete: return ["DELETE /instance/delete/\(name)"]
        case .forget, .noop: return []
        }
    }
}
