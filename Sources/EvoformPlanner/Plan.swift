import EvoformCore

/// What to do with one instance.
public enum ChangeAction: String, Sendable, Codable, CaseIterable {
    /// `+`: in the manifest, not on the server.
    case create
    /// `~`: webhook, Chatwoot or settings differ; changed through their `set` endpoints.
    case update
    /// `-/+`: a field that cannot change after creation differs; delete, wait, create.
    case replace
    /// `-`: owned by evoform, no longer in the manifest.
    case delete
    /// Gone from the server and the manifest: dropped from the state without any call.
    case forget
    /// Nothing to do.
    case noop

    /// The Terraform-style JSON `actions` array.
    public var actions: [String] {
        switch self {
        case .create: ["create"]
        case .update: ["update"]
        case .replace: ["delete", "create"]
        case .delete: ["delete"]
        case .forget: ["forget"]
        case .noop: ["no-op"]
        }
    }

    /// The symbol in text plans.
    public var symbol: String {
        switch self {
        case .create: "+"
        case .update: "~"
        case .replace: "-/+"
        case .delete: "-"
        case .forget: "!"
        case .noop: " "
        }
    }
}

/// One field's old and new value. `nil` means absent (unmanaged, unset, or gone).
public struct FieldChange: Hashable, Sendable {
    public var field: Field
    public var before: FieldValue?
    public var after: FieldValue?

    public init(field: Field, before: FieldValue?, after: FieldValue?) {
        self.field = field
        self.before = before
        self.after = after
    }
}

/// The planned change of one instance.
public struct InstanceChange: Hashable, Sendable {
    public var name: InstanceName
    public var action: ChangeAction
    /// The fields that differ (for create: every managed field; for delete: the recorded ones).
    public var fieldChanges: [FieldChange]
    /// For `update`: the groups whose `set` endpoint will be called, in call order.
    public var groupsToSet: [FieldGroup]
    /// Why a replace is forced.
    public var reason: String?
    /// Things a reviewer must know (e.g. "the phone must pair again").
    public var warnings: [String]
    /// The observed configuration digest this change was planned against (stale-plan check).
    public var observedFingerprint: String?

    public init(
        name: InstanceName, action: ChangeAction, fieldChanges: [FieldChange] = [], groupsToSet: [FieldGroup] = [],
        reason: String? = nil, warnings: [String] = [], observedFingerprint: String? = nil
    ) {
        self.name = name
        self.action = action
        self.fieldChanges = fieldChanges
        self.groupsToSet = groupsToSet
        self.reason = reason
        self.warnings = warnings
        self.observedFingerprint = observedFingerprint
    }
}

/// Something that changed on the server behind evoform's back.
public struct Drift: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Fields differ from what evoform last applied (before = state, after = server).
        case changedOutside([FieldChange])
        /// The state has the instance, the server does not.
        case deletedOutside
    }

    public var name: InstanceName
    public var kind: Kind

    public init(name: InstanceName, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// The result of planning: per-instance changes (manifest order, then deletions by name) and drift.
public struct Plan: Hashable, Sendable {
    public var changes: [InstanceChange]
    public var drift: [Drift]
    /// The server version the plan was made for.
    public var apiVersion: APIVersion
    /// Whether the server was asked (false for `--refresh=false`).
    public var refreshed: Bool

    public init(changes: [InstanceChange], drift: [Drift], apiVersion: APIVersion, refreshed: Bool) {
        self.changes = changes
        self.drift = drift
        self.apiVersion = apiVersion
        self.refreshed = refreshed
    }

    /// Changes that make calls or touch the state.
    public var actionable: [InstanceChange] { changes.filter { $0.action != .noop } }

    public var hasChanges: Bool { !actionable.isEmpty }

    public func count(_ action: ChangeAction) -> Int { changes.lazy.filter { $0.action == action }.count }

    public func change(for name: InstanceName) -> InstanceChange? { changes.first { $0.name == name } }
}
