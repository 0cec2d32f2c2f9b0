/// Every configuration field evoform manages, named by the path shown in diffs. A closed set: the
/// planner, the applier, the state and the renderers all iterate it instead of naming fields.
public enum Field: String, Sendable, Codable, CaseIterable, Comparable, CodingKeyRepresentable {
    case qrcode = "qrcode"
    case token = "token"

    case webhookURL = "webhook.url"
    case webhookEnabled = "webhook.enabled"
    case webhookByEvents = "webhook.byEvents"
    case webhookBase64 = "webhook.base64"
    case webhookEvents = "webhook.events"

    case chatwootEnabled = "chatwoot.enabled"
    case chatwootAccountID = "chatwoot.accountId"
    case chatwootToken = "chatwoot.token"
    case chatwootURL = "chatwoot.url"
    case chatwootSignMsg = "chatwoot.signMsg"
    case chatwootReopenConversation = "chatwoot.reopenConversation"
    case chatwootConversationPending = "chatwoot.conversationPending"
    case chatwootNameInbox = "chatwoot.nameInbox"
    case chatwootImportContacts = "chatwoot.importContacts"
    case chatwootImportMessages = "chatwoot.importMessages"
    case chatwootDaysLimitImportMessages = "chatwoot.daysLimitImportMessages"
    case chatwootMergeBrazilContacts = "chatwoot.mergeBrazilContacts"

    case rejectCall = "settings.rejectCall"
    case msgCall = "settings.msgCall"
    case groupsIgnore = "settings.groupsIgnore"
    case alwaysOnline = "settings.alwaysOnline"
    case readMessages = "settings.readMessages"
    case readStatus = "settings.readStatus"
    case syncFullHistory = "settings.syncFullHistory"

    /// How a change to the field is carried out.
    public var group: FieldGroup {
        switch self {
        case .qrcode: .createOnly
        case .token: .replaceForcing
        case .webhookURL, .webhookEnabled, .webhookByEvents, .webhookBase64, .webhookEvents: .webhook
        case .chatwootEnabled, .chatwootAccountID, .chatwootToken, .chatwootURL, .chatwootSignMsg,
            .chatwootReopenConversation, .chatwootConversationPending, .chatwootNameInbox,
            .chatwootImportContacts, .chatwootImportMessages, .chatwootDaysLimitImportMessages,
            .chatwootMergeBrazilContacts:
            .chatwoot
        case .rejectCall, .msgCall, .groupsIgnore, .alwaysOnline, .readMessages, .readStatus,
            .syncFullHistory:
            .settings
        }
    }

    /// The type of value the field holds.
    public var kind: FieldKind {
        switch self {
        case .token, .chatwootToken: .secret
        case .webhookEvents: .events
        case .chatwootAccountID, .chatwootDaysLimitImportMessages: .integer
        case .webhookURL, .chatwootURL, .chatwootNameInbox, .msgCall: .string
        default: .bool
        }
    }

    public var isSecret: Bool { kind == .secret }

    /// The case's position in declaration order. A payload-free enum is stored as exactly that
    /// index, so this is a load, not a search; a test checks it against `allCases`. Hashing and
    /// ordering use it instead of the raw string: fields are dictionary keys in every hot loop.
    var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    public static func < (lhs: Field, rhs: Field) -> Bool { lhs.ordinal < rhs.ordinal }
    public static func == (lhs: Field, rhs: Field) -> Bool { lhs.ordinal == rhs.ordinal }
    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }
}

/// Fields grouped by the endpoint that changes them.
public enum FieldGroup: String, Sendable, Codable, CaseIterable {
    /// Only sent at create; never diffed afterwards.
    case createOnly
    /// Cannot change after create: a difference forces delete + create.
    case replaceForcing
    /// Changed in place by `POST /webhook/set/{name}`.
    case webhook
    /// Changed in place by `POST /chatwoot/set/{name}`.
    case chatwoot
    /// Changed in place by `POST /settings/set/{name}`.
    case settings

    /// The group names that `lifecycle.ignoreChanges` may list besides single fields.
    public var ignoreKey: String {
        switch self {
        case .createOnly: "qrcode"
        case .replaceForcing: "token"
        case .webhook: "webhook"
        case .chatwoot: "chatwoot"
        case .settings: "settings"
        }
    }

    /// The fields of this group in declaration order.
    public var fields: [Field] { Field.allCases.filter { $0.group == self } }
}

public enum FieldKind: String, Sendable, Codable {
    case bool, integer, string, events, secret
}
