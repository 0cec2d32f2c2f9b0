import EvoformCore

/// A value read for one setting of an instance entry or of `defaults`.
enum SettingValue: Sendable {
    case bool(Bool)
    case integer(Int)
    case string(String)
    case secret(Secret)
    case events([EventItem])
    case ignoreKeys([Field])

    /// Whether two spellings of one setting mean the same thing (event lists compare as sets).
    func means(_ other: SettingValue) -> Bool {
        switch (self, other) {
        case (.bool(let lhs), .bool(let rhs)): lhs == rhs
        case (.integer(let lhs), .integer(let rhs)): lhs == rhs
        case (.string(let lhs), .string(let rhs)): lhs == rhs
        case (.secret(let lhs), .secret(let rhs)): lhs == rhs
        case (.events(let lhs), .events(let rhs)): Set(lhs.map(\.name)) == Set(rhs.map(\.name))
        case (.ignoreKeys(let lhs), .ignoreKeys(let rhs)): Set(lhs) == Set(rhs)
        default: false
        }
    }
}

/// One event name of an `events` list, where it is written.
struct EventItem: Sendable, Hashable {
    var name: EventName
    var location: SourceLocation
    var path: String
}

/// One setting as written: its value, the key spelling used, and where.
struct SettingEntry: Sendable {
    var field: ManifestField
    /// Nil when the setting is given but unusable: invalid (already reported), or its variable is
    /// not set. The setting still counts as present for the rules between settings.
    var value: SettingValue?
    /// The key as written, e.g. `webhook_by_events` or `webhook.byEvents`.
    var key: String
    var location: SourceLocation
    var path: String
    /// Inherited from `defaults` rather than written in the instance.
    var fromDefaults = false
    /// Written as `null`: not managed, and any default is cancelled.
    var isNull = false
}

/// The settings of one object, by meaning.
typealias Settings = [ManifestField: SettingEntry]
