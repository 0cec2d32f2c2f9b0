import EvoformCore
import EvoformState

/// What a mutating call journals before it is sent: the call, the instance, and a digest of the
/// request's secret-free configuration, so a later run can tell what was in flight without
/// storing the request.
struct CallIntent: Hashable, Sendable {
    var instance: InstanceName
    var action: JournalAction
    var digest: String

    private init(_ action: JournalAction, _ instance: InstanceName, _ configuration: InstanceConfiguration) {
        self.instance = instance
        self.action = action
        digest = SHA256.hexDigest("\(action.rawValue) \(instance.rawValue) \(configuration.json.canonicalText)")
    }

    /// `wanted`: the instance's comparable configuration.
    static func create(_ name: InstanceName, wanted: InstanceConfiguration) -> CallIntent {
        CallIntent(.create, name, wanted)
    }

    /// `wanted`: the comparable configuration restricted to `group`.
    static func set(_ group: FieldGroup, of name: InstanceName, wanted: InstanceConfiguration) -> CallIntent {
        CallIntent(.set(group), name, wanted)
    }

    static func delete(_ name: InstanceName) -> CallIntent {
        CallIntent(.delete, name, InstanceConfiguration())
    }
}
