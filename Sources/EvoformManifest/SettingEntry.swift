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
    /// The path of the list and the item's index in it.
    var listPath: String
    var index: Int

    var path: String { JSONPath.appending(index: index, to: listPath) }
}

/// One setting as written: its value, the key spelling used, and where. A class: instances
/// share the entries they inherit from `defaults`, so a merge copies references, not values.
final class SettingEntry {
    let field: ManifestField
    /// Nil when the setting is given but unusable: invalid (already reported), or its variable is
    /// not set. The setting still counts as present for the rules between settings.
    var value: SettingValue?
    /// The key as written, e.g. `webhook_by_events` or `webhook.byEvents`.
    let key: String
    let location: SourceLocation
    /// The path of the object holding the setting and the member's own key: the full path is
    /// only rendered when a message needs it.
    let parentPath: String
    let memberKey: String
    /// Inherited from `defaults` rather than written in the instance.
    var fromDefaults = false
    /// Written as `null`: not managed, and any default is cancelled.
    var isNull = false

    init(field: ManifestField, key: String, location: SourceLocation, parentPath: String, memberKey: String) {
        self.field = field
        self.key = key
        self.location = location
        self.parentPath = parentPath
        self.memberKey = memberKey
    }

    /// The JSON path of the value, e.g. `instances[2].webhook.url`.
    var path: String { JSONPath.appending(key: memberKey, to: parentPath) }
}

/// The settings of one object, by meaning: one slot per `ManifestField`.
struct Settings {
    private var slots = [SettingEntry?](repeating: nil, count: ManifestField.count)

    subscript(field: ManifestField) -> SettingEntry? {
        get { slots[field.rawValue] }
        set { slots[field.rawValue] = newValue }
    }

    /// The settings given, in `ManifestField` order.
    var entries: [SettingEntry] { slots.compactMap { $0 } }

    /// Calls `body` with each setting given, in `ManifestField` order, without building an array.
    func forEachEntry(_ body: (SettingEntry) throws -> Void) rethrows {
        for slot in slots {
            if let entry = slot { try body(entry) }
        }
    }

    /// Marks every setting as inherited from `defaults`.
    mutating func markInherited() {
        for entry in slots { entry?.fromDefaults = true }
    }
}
