import EvoformCore

/// Why a plan cannot be made. Every problem is collected before failing.
public struct PlanningError: UserFacingError, Hashable {
    public enum Problem: Hashable, Sendable {
        /// In the manifest and on the server, but not in the state.
        case existsUnmanaged(InstanceName)
        /// A change would delete or replace an instance with `preventDestroy`.
        case preventDestroy(InstanceName, ChangeAction)
        /// Most managed instances are missing from the server: likely the wrong server or database.
        case massDisappearance(missing: Int, managed: Int)
        /// `--target` names an instance neither in the manifest nor in the state.
        case unknownTarget(String, suggestion: String?)
    }

    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var userMessage: String {
        problems.map(\.message).joined(separator: "\n")
    }
}

extension PlanningError.Problem {
    public var message: String {
        switch self {
        case .existsUnmanaged(let name):
            "instance \"\(name)\" exists on the server but evoform does not manage it; "
                + "adopt it with 'evoform import \(name)' (nothing is created twice)"
        case .preventDestroy(let name, let action):
            "instance \"\(name)\" has lifecycle.preventDestroy, but the plan would "
                + "\(action == .replace ? "replace" : "delete") it; remove preventDestroy or change the manifest"
        case .massDisappearance(let missing, let managed):
            "\(missing) of the \(managed) instances evoform manages are missing from the server; "
                + "refusing to plan a mass re-create. Check the server URL and database, or use "
                + "'evoform state rm' for instances that are really gone"
        case .unknownTarget(let name, let suggestion):
            "--target \(name): no such instance in the manifest or the state"
                + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
        }
    }
}
