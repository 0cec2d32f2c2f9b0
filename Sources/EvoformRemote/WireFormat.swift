import EvoformCore
import Foundation

/// One server generation's wire format: how the one instance model is written into request
/// bodies and read back from responses. `V1Dialect` and `V2Dialect` are the only places that
/// know field spellings; the client above them speaks `InstanceConfiguration` only.
protocol Dialect: Sendable {
    static var version: APIVersion { get }
    /// The `POST /instance/create` body, and what the server will hold after it.
    static func createPayload(for desired: DesiredInstance) -> CreatePayload
    /// Reads the create response; lenient, because the instance exists whatever its shape.
    static func created(from json: JSONValue?) -> CreatedFields
    /// Reads `GET /instance/fetchInstances`.
    static func listed(from json: JSONValue?) throws(WireShapeError) -> [ListedInstance]
    /// Reads a `GET /{group}/find/{name}` answer, normalised.
    static func observation(of group: FieldGroup, from json: JSONValue?) throws(WireShapeError) -> GroupObservation
    /// The `POST /{group}/set/{name}` body.
    static func setBody(_ input: SetInput) throws(IncompleteConfiguration) -> JSONValue
}

extension APIVersion {
    var dialect: any Dialect.Type {
        switch self {
        case .v1: V1Dialect.self
        case .v2: V2Dialect.self
        }
    }
}

/// A create body with what it will leave on the server.
struct CreatePayload: Sendable {
    var body: JSONValue
    /// Managed non-secret fields the server holds for certain after the create.
    var applied: InstanceConfiguration
    /// Groups that must be set after the create.
    var pendingGroups: Set<FieldGroup>
}

/// What a create response tells.
struct CreatedFields: Sendable {
    var serverID: String?
    var token: Secret?
    var qrCode: QRCode?
}

/// One instance of `fetchInstances`, with the groups the list reports in full.
struct ListedInstance: Sendable {
    var summary: InstanceSummary
    /// Groups whose normalised values the list already gives (no `find` needed).
    var groups: [FieldGroup: GroupObservation]
}

/// The normalised values of one configuration group.
struct GroupObservation: Sendable, Hashable {
    var configuration = InstanceConfiguration()
    var secrets: [Field: Secret] = [:]
}

/// A response that does not have the documented shape.
struct WireShapeError: Error, Sendable {
    var detail: String
    init(_ detail: String) { self.detail = detail }
}

/// A `set` that cannot be sent because a field the server requires is unknown.
struct IncompleteConfiguration: Error, Sendable {
    var messages: [String]
}

/// Everything a `set` body is built from: the group's observed values overlaid with the desired
/// ones, and whether the group ends up enabled.
struct SetInput: Sendable {
    var group: FieldGroup
    var name: InstanceName
    /// Non-secret values of the group: observed, overlaid with desired.
    var values: InstanceConfiguration
    /// Secret values of the group: observed, overlaid with desired.
    var secrets: [Field: Secret]
    /// For the webhook and Chatwoot: whether the body enables the group.
    var enabled: Bool
    /// Chatwoot: the set turns it on where it was not (absent, or disabled). Only then is the
    /// server asked to provision the inbox (`auto_create`), as a create with Chatwoot does; on
    /// any other update that would post another bot conversation.
    var turnsChatwootOn = false

    init(
        group: FieldGroup, name: InstanceName, desired: InstanceConfiguration, desiredSecrets: [Field: Secret],
        current: ObservedInstance?
    ) {
        self.group = group
        self.name = name
        let wanted = desired.restricted(to: group)
        var values = current?.configuration.restricted(to: group) ?? InstanceConfiguration()
        var secrets = (current?.secrets ?? [:]).filter { $0.key.group == group }
        for (field, value) in wanted.values { values[field] = value }
        for (field, secret) in desiredSecrets where field.group == group { secrets[field] = secret }

        func flag(_ value: FieldValue?) -> Bool? {
            if case .bool(let flag)? = value { return flag }
            return nil
        }
        switch group {
        case .webhook:
            // Naming a URL means wanting the webhook on, unless `enabled` itself is managed.
            enabled = flag(wanted[.webhookEnabled])
                ?? (wanted[.webhookURL] != nil ? true : flag(current?.configuration[.webhookEnabled]) ?? true)
            values[.webhookEnabled] = .bool(enabled)
        case .chatwoot:
            let namesEssentials = wanted[.chatwootAccountID] != nil || wanted[.chatwootURL] != nil
                || desiredSecrets[.chatwootToken] != nil
            enabled = flag(wanted[.chatwootEnabled])
                ?? (namesEssentials ? true : flag(current?.configuration[.chatwootEnabled]) ?? true)
            values[.chatwootEnabled] = .bool(enabled)
            turnsChatwootOn = enabled && flag(current?.configuration[.chatwootEnabled]) != true
        default:
            enabled = true
        }
        self.values = values
        self.secrets = secrets
    }

    func bool(_ field: Field) -> Bool? {
        if case .bool(let value)? = values[field] { return value }
        return nil
    }

    func string(_ field: Field) -> String? {
        if case .string(let value)? = values[field] { return value }
        return nil
    }

    func integer(_ field: Field) -> Int? {
        if case .integer(let value)? = values[field] { return value }
        return nil
    }

    func events() -> EventSelection? {
        if case .events(let selection)? = values[.webhookEvents] { return selection }
        return nil
    }
}

/// Field spellings and value conversions shared by both dialects.
enum Wire {
    /// Reads one field's value from a wire value; nil when absent, null or of another type.
    static func value(_ json: JSONValue?, for field: Field, version: APIVersion) -> FieldValue? {
        guard let json else { return nil }
        switch field.kind {
        case .bool:
            return json.boolValue.map(FieldValue.bool)
        case .integer:
            return json.integerValue.map(FieldValue.integer)
        case .string:
            return json.stringValue.map(FieldValue.string)
        case .events:
            guard let items = json.arrayValue else { return nil }
            var names: [EventName] = []
            for item in items {
                guard let name = item.stringValue else { return nil }
                names.append(EventName(name))
            }
            return .events(EventSelection.from(names, version: version))
        case .secret:
            return nil
        }
    }

    /// Writes one non-secret value: events as the list to send (`[]` for all).
    static func json(_ value: FieldValue) -> JSONValue {
        switch value {
        case .bool(let flag): .bool(flag)
        case .integer(let number): .number(Double(number))
        case .string(let text): .string(text)
        case .events(let selection): .array(selection.wireList.map { .string($0.rawValue) })
        case .secret: .null
        }
    }

    /// Reads a find/list object for a webhook. Unset shapes (`null`, `{}`, a disabled default)
    /// mean disabled: only `webhook.enabled = false`. An enabled webhook reports every field
    /// the server gives; `byEvents`/`base64` the server left out mean false.
    static func webhook(
        _ json: JSONValue?, keys: [Field: String], version: APIVersion
    ) throws(WireShapeError) -> GroupObservation {
        guard let json, json != .null else { return disabled(.webhookEnabled) }
        guard let object = json.objectValue else { throw WireShapeError("the webhook is not a JSON object") }
        let url = object[keys[.webhookURL]!]?.stringValue ?? ""
        let enabled = object[keys[.webhookEnabled]!]?.boolValue ?? !url.isEmpty
        guard enabled else { return disabled(.webhookEnabled) }
        var configuration = InstanceConfiguration([.webhookEnabled: .bool(true)])
        for field in [Field.webhookURL, .webhookByEvents, .webhookBase64, .webhookEvents] {
            if let value = value(object[keys[field]!], for: field, version: version) { configuration[field] = value }
        }
        for field in [Field.webhookByEvents, .webhookBase64] where configuration[field] == nil {
            configuration[field] = .bool(false)
        }
        return GroupObservation(configuration: configuration)
    }

    /// Reads a find/list object for Chatwoot: disabled or unset shapes mean only
    /// `chatwoot.enabled = false`; an enabled one reports every field given, its token as a
    /// secret and the account id as a number whichever way the server wrote it.
    static func chatwoot(
        _ json: JSONValue?, keys: [Field: String], version: APIVersion
    ) throws(WireShapeError) -> GroupObservation {
        guard let json, json != .null else { return disabled(.chatwootEnabled) }
        guard let object = json.objectValue else { throw WireShapeError("the Chatwoot settings are not a JSON object") }
        guard object[keys[.chatwootEnabled]!]?.boolValue == true else { return disabled(.chatwootEnabled) }
        var observation = GroupObservation()
        for field in FieldGroup.chatwoot.fields {
            guard let key = keys[field], let raw = object[key] else { continue }
            if field == .chatwootToken {
                if let token = raw.stringValue, !token.isEmpty { observation.secrets[field] = Secret(token) }
            } else if let value = value(raw, for: field, version: version) {
                observation.configuration[field] = value
            }
        }
        return observation
    }

    /// Reads a find/list object for the settings: every flag given; a missing `msgCall` next to
    /// known flags is the empty message the server treats it as.
    static func settings(
        _ json: JSONValue?, keys: [Field: String], version: APIVersion
    ) throws(WireShapeError) -> GroupObservation {
        guard let json, json != .null else { return GroupObservation() }
        guard let object = json.objectValue else { throw WireShapeError("the settings are not a JSON object") }
        var configuration = InstanceConfiguration()
        for field in FieldGroup.settings.fields {
            if let key = keys[field], let value = value(object[key], for: field, version: version) {
                configuration[field] = value
            }
        }
        if !configuration.values.isEmpty, configuration[.msgCall] == nil { configuration[.msgCall] = .string("") }
        return GroupObservation(configuration: configuration)
    }

    private static func disabled(_ field: Field) -> GroupObservation {
        GroupObservation(configuration: InstanceConfiguration([field: .bool(false)]))
    }

    /// The server's connection state word as the model's status.
    static func status(_ json: JSONValue?) -> ConnectionStatus {
        json?.stringValue.flatMap(ConnectionStatus.init(rawValue:)) ?? .unknown
    }

    /// Reads a QR object (`{pairingCode, code, base64, count}`).
    static func qrCode(_ json: JSONValue?) -> QRCode? {
        guard let object = json?.objectValue else { return nil }
        let png = object["base64"]?.stringValue.flatMap(decodeDataURL)
        let code = object["code"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let pairing = object["pairingCode"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return QRCode(code: code, pngData: png, pairingCode: pairing, count: object["count"]?.integerValue ?? 0)
    }

    /// Decodes `data:image/png;base64,...` (or bare base64) into bytes.
    static func decodeDataURL(_ text: String) -> Data? {
        var payload = Substring(text)
        if payload.hasPrefix("data:"), let comma = payload.firstIndex(of: ",") {
            payload = payload[payload.index(after: comma)...]
        }
        guard !payload.isEmpty else { return nil }
        return Data(base64Encoded: String(payload), options: .ignoreUnknownCharacters)
    }

    /// Applies a key table: every field of `fields` present in `values` under its wire name.
    static func write(
        _ values: InstanceConfiguration, fields: [Field], keys: [Field: String], into object: inout [String: JSONValue]
    ) {
        for field in fields {
            guard let key = keys[field], let value = values[field] else { continue }
            object[key] = json(value)
        }
    }
}

/// Which configuration groups a create can carry, decided the same way for both versions.
struct CreateDecision: Sendable {
    enum Choice: Sendable { case send, disabled, absent }
    var webhook: Choice
    var chatwoot: Choice

    init(_ desired: DesiredInstance) {
        let values = desired.configuration
        if values[.webhookEnabled] == .bool(false) {
            webhook = .disabled
        } else if values[.webhookURL] != nil {
            webhook = .send
        } else {
            webhook = .absent
        }
        if values[.chatwootEnabled] == .bool(false) {
            chatwoot = .disabled
        } else if values[.chatwootAccountID] != nil, values[.chatwootURL] != nil, desired.secrets[.chatwootToken] != nil {
            chatwoot = .send
        } else {
            chatwoot = .absent
        }
    }

    /// The managed non-secret fields a successful create leaves on the server: the fields sent
    /// (events normalised for the version), `enabled = false` alone for a group the manifest
    /// disables (nothing is stored, which reads back as disabled), the settings sent.
    func applied(_ desired: DesiredInstance, version: APIVersion) -> InstanceConfiguration {
        var applied = InstanceConfiguration()
        for (field, value) in desired.configuration.values {
            switch field.group {
            case .createOnly: applied[field] = value
            case .webhook where webhook == .send: applied[field] = value
            case .chatwoot where chatwoot == .send: applied[field] = value
            case .settings: applied[field] = value
            default: break
            }
        }
        if webhook == .disabled { applied[.webhookEnabled] = .bool(false) }
        if chatwoot == .disabled { applied[.chatwootEnabled] = .bool(false) }
        return applied.normalized(for: version)
    }
}
