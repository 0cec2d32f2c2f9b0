import EvoformCore

/// Every setting an instance entry (or `defaults`) can hold, whatever its spelling. Each has one
/// or more keys: the documented create payload (`webhook_by_events`), the real server's v1
/// payload (`webhook_base64`), and v2 camelCase (`webhookBase64`, nested `webhook.base64`).
enum ManifestField: Int, CaseIterable, Sendable, Hashable, Comparable {
    case instanceName, token, qrcode, integration
    case webhookURL, webhookEnabled, webhookByEvents, webhookBase64, events
    case chatwootAccountID, chatwootToken, chatwootURL
    case chatwootSignMsg, chatwootReopenConversation, chatwootConversationPending, chatwootNameInbox
    case chatwootImportContacts, chatwootImportMessages, chatwootDaysLimitImportMessages
    case chatwootMergeBrazilContacts
    case rejectCall, msgCall, groupsIgnore, alwaysOnline, readMessages, readStatus, syncFullHistory
    case preventDestroy, ignoreChanges

    /// How a value of the field is read and checked.
    enum Kind: Sendable {
        case bool, string, url, secret, instanceName, integration, accountID, nonNegativeInteger, events
        case ignoreKeys
    }

    var kind: Kind {
        switch self {
        case .instanceName: .instanceName
        case .token, .chatwootToken: .secret
        case .integration: .integration
        case .webhookURL, .chatwootURL: .url
        case .events: .events
        case .chatwootAccountID: .accountID
        case .chatwootDaysLimitImportMessages: .nonNegativeInteger
        case .chatwootNameInbox, .msgCall: .string
        case .ignoreChanges: .ignoreKeys
        case .qrcode, .webhookEnabled, .webhookByEvents, .webhookBase64, .chatwootSignMsg,
            .chatwootReopenConversation, .chatwootConversationPending, .chatwootImportContacts,
            .chatwootImportMessages, .chatwootMergeBrazilContacts, .rejectCall, .groupsIgnore, .alwaysOnline,
            .readMessages, .readStatus, .syncFullHistory, .preventDestroy:
            .bool
        }
    }

    /// The managed field this setting becomes, if it maps one to one.
    var target: Field? {
        switch self {
        case .instanceName, .integration, .preventDestroy, .ignoreChanges: nil
        case .token: .token
        case .qrcode: .qrcode
        case .webhookURL: .webhookURL
        case .webhookEnabled: .webhookEnabled
        case .webhookByEvents: .webhookByEvents
        case .webhookBase64: .webhookBase64
        case .events: .webhookEvents
        case .chatwootAccountID: .chatwootAccountID
        case .chatwootToken: .chatwootToken
        case .chatwootURL: .chatwootURL
        case .chatwootSignMsg: .chatwootSignMsg
        case .chatwootReopenConversation: .chatwootReopenConversation
        case .chatwootConversationPending: .chatwootConversationPending
        case .chatwootNameInbox: .chatwootNameInbox
        case .chatwootImportContacts: .chatwootImportContacts
        case .chatwootImportMessages: .chatwootImportMessages
        case .chatwootDaysLimitImportMessages: .chatwootDaysLimitImportMessages
        case .chatwootMergeBrazilContacts: .chatwootMergeBrazilContacts
        case .rejectCall: .rejectCall
        case .msgCall: .msgCall
        case .groupsIgnore: .groupsIgnore
        case .alwaysOnline: .alwaysOnline
        case .readMessages: .readMessages
        case .readStatus: .readStatus
        case .syncFullHistory: .syncFullHistory
        }
    }

    /// The spelling messages use (the documented one where there is one).
    var displayKey: String {
        switch self {
        case .webhookURL: "webhook"
        case .webhookEnabled: "webhook.enabled"
        case .preventDestroy: "lifecycle.preventDestroy"
        case .ignoreChanges: "lifecycle.ignoreChanges"
        default: Self.flatKeys.first { $0.value == self }.map(\.key) ?? "\(self)"
        }
    }

    /// The only `integration` accepted: evoform manages WhatsApp Baileys instances.
    static let supportedIntegration = "WHATSAPP-BAILEYS"

    /// Settings that `defaults` may not hold (each instance gives its own).
    static let instanceOnly: Set<ManifestField> = [.instanceName, .token]

    /// The three settings without which Chatwoot is not configured.
    static let chatwootEssentials: [ManifestField] = [.chatwootAccountID, .chatwootToken, .chatwootURL]

    /// Chatwoot settings that only mean something once the essentials are given.
    static let chatwootOptions: [ManifestField] = [
        .chatwootSignMsg, .chatwootReopenConversation, .chatwootConversationPending, .chatwootNameInbox,
        .chatwootImportContacts, .chatwootImportMessages, .chatwootDaysLimitImportMessages,
        .chatwootMergeBrazilContacts,
    ]

    /// Webhook settings that only mean something with a webhook URL.
    static let webhookOptions: [ManifestField] = [.webhookByEvents, .webhookBase64, .events]

    /// Settings dropped from an instance without a webhook URL (inherited) or reported (its own).
    static let webhookDependents: [ManifestField] = webhookOptions + [.webhookEnabled]

    /// Every Chatwoot setting.
    static let chatwootFields: [ManifestField] = chatwootEssentials + chatwootOptions

    /// Keys of an instance entry, in the order "did you mean" lists them. `webhook` and
    /// `lifecycle` are handled apart (they may hold objects).
    static let flatKeys: KeyValuePairs<String, ManifestField> = [
        "instanceName": .instanceName,
        "token": .token,
        "qrcode": .qrcode,
        "integration": .integration,
        "webhookByEvents": .webhookByEvents,
        "webhook_by_events": .webhookByEvents,
        "webhook_base64": .webhookBase64,
        "webhookBase64": .webhookBase64,
        "webhookUrl": .webhookURL,
        "events": .events,
        "webhookEvents": .events,
        "chatwoot_account_id": .chatwootAccountID,
        "chatwootAccountId": .chatwootAccountID,
        "chatwoot_token": .chatwootToken,
        "chatwootToken": .chatwootToken,
        "chatwoot_url": .chatwootURL,
        "chatwootUrl": .chatwootURL,
        "chatwoot_sign_msg": .chatwootSignMsg,
        "chatwootSignMsg": .chatwootSignMsg,
        "chatwoot_reopen_conversation": .chatwootReopenConversation,
        "chatwootReopenConversation": .chatwootReopenConversation,
        "chatwoot_conversation_pending": .chatwootConversationPending,
        "chatwootConversationPending": .chatwootConversationPending,
        "chatwoot_name_inbox": .chatwootNameInbox,
        "chatwootNameInbox": .chatwootNameInbox,
        "chatwoot_import_contacts": .chatwootImportContacts,
        "chatwootImportContacts": .chatwootImportContacts,
        "chatwoot_import_messages": .chatwootImportMessages,
        "chatwootImportMessages": .chatwootImportMessages,
        "chatwoot_days_limit_import_messages": .chatwootDaysLimitImportMessages,
        "chatwootDaysLimitImportMessages": .chatwootDaysLimitImportMessages,
        "chatwoot_merge_brazil_contacts": .chatwootMergeBrazilContacts,
        "chatwootMergeBrazilContacts": .chatwootMergeBrazilContacts,
        "reject_call": .rejectCall,
        "rejectCall": .rejectCall,
        "msg_call": .msgCall,
        "msgCall": .msgCall,
        "groups_ignore": .groupsIgnore,
        "groupsIgnore": .groupsIgnore,
        "always_online": .alwaysOnline,
        "alwaysOnline": .alwaysOnline,
        "read_messages": .readMessages,
        "readMessages": .readMessages,
        "read_status": .readStatus,
        "readStatus": .readStatus,
        "sync_full_history": .syncFullHistory,
        "syncFullHistory": .syncFullHistory,
    ]

    /// The same table as a dictionary, for lookups.
    static let byFlatKey: [String: ManifestField] = Dictionary(
        flatKeys.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })

    /// Keys of the nested v2 `webhook` object.
    static let webhookObjectKeys: KeyValuePairs<String, ManifestField> = [
        "url": .webhookURL,
        "enabled": .webhookEnabled,
        "byEvents": .webhookByEvents,
        "base64": .webhookBase64,
        "events": .events,
    ]

    /// Keys of the `lifecycle` object (Terraform's spellings accepted too).
    static let lifecycleKeys: KeyValuePairs<String, ManifestField> = [
        "preventDestroy": .preventDestroy,
        "ignoreChanges": .ignoreChanges,
        "prevent_destroy": .preventDestroy,
        "ignore_changes": .ignoreChanges,
    ]

    /// Every key an instance entry accepts, for "did you mean".
    static let instanceKeys: [String] = flatKeys.map(\.key) + ["webhook", "lifecycle"]

    static let count = allCases.count

    static func < (lhs: ManifestField, rhs: ManifestField) -> Bool { lhs.rawValue < rhs.rawValue }
}
