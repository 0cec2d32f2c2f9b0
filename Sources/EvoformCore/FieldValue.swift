/// The comparable value of one field. Secrets appear only as fingerprints.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case bool(Bool)
    case integer(Int)
    case string(String)
    case events(EventSelection)
    case secret(SecretFingerprint)

    /// How a diff shows the value; secrets are `(sensitive)`.
    public var description: String {
        switch self {
        case .bool(let value): String(value)
        case .integer(let value): String(value)
        case .string(let value): JSONValue.string(value).canonicalText
        case .events(.all): "(all events)"
        case .events(.only(let names)):
            "[" + names.sorted().map { JSONValue.string($0.rawValue).canonicalText }.joined(separator: ", ") + "]"
        case .secret: "(sensitive)"
        }
    }

    /// The JSON form used in state, plan files and `--json` output (secrets as fingerprints,
    /// which callers that print must mask).
    public var json: JSONValue {
        switch self {
        case .bool(let value): .bool(value)
        case .integer(let value): .number(Double(value))
        case .string(let value): .string(value)
        case .events(.all): .array([])
        case .events(.only(let names)): .array(names.sorted().map { .string($0.rawValue) })
        case .secret(let fingerprint): .object(["fingerprint": .string(fingerprint.rawValue)])
        }
    }

    /// Reads the JSON form back for a field of the given kind.
    public init?(json: JSONValue, kind: FieldKind) {
        switch (kind, json) {
        case (.bool, .bool(let value)): self = .bool(value)
        case (.integer, .number(let value)) where value == value.rounded() && abs(value) < 9e15:
            self = .integer(Int(value))
        case (.string, .string(let value)): self = .string(value)
        case (.events, .array(let items)):
            var names: [EventName] = []
            for item in items {
                guard case .string(let name) = item else { return nil }
                names.append(EventName(name))
            }
            self = .events(names.isEmpty ? .all : .only(Set(names)))
        case (.secret, .object(let object)):
            guard case .string(let digest)? = object["fingerprint"] else { return nil }
            self = .secret(SecretFingerprint(rawValue: digest))
        default: return nil
        }
    }
}
