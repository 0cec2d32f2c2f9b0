/// The configuration of one instance as a map from field to value. A field that is absent is not
/// managed (desired), not reported or unset (observed), or never applied (state).
public struct InstanceConfiguration: Hashable, Sendable {
    public var values: [Field: FieldValue]

    public init(_ values: [Field: FieldValue] = [:]) { self.values = values }

    public subscript(field: Field) -> FieldValue? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// The fields present, in declaration order.
    public var fields: [Field] { values.keys.sorted() }

    /// Only the fields of one group.
    public func restricted(to group: FieldGroup) -> InstanceConfiguration {
        InstanceConfiguration(values.filter { $0.key.group == group })
    }

    /// Whether any field of the group is present.
    public func manages(_ group: FieldGroup) -> Bool { values.keys.contains { $0.group == group } }

    /// Event selections re-normalised for a known server version (a full list becomes `all`).
    public func normalized(for version: APIVersion) -> InstanceConfiguration {
        var copy = self
        if case .events(let selection)? = values[.webhookEvents] {
            copy.values[.webhookEvents] = .events(selection.normalized(for: version))
        }
        return copy
    }

    /// Canonical JSON object: keys are field paths, values as `FieldValue.json`.
    public var json: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value.json) }))
    }

    /// Reads `json` back; unknown keys or mistyped values are dropped (a newer evoform may have
    /// written them, and an unmanaged field is the safe reading).
    public init(json: JSONValue) {
        var values: [Field: FieldValue] = [:]
        if case .object(let object) = json {
            for (key, raw) in object {
                guard let field = Field(rawValue: key), let value = FieldValue(json: raw, kind: field.kind) else {
                    continue
                }
                values[field] = value
            }
        }
        self.values = values
    }
}
