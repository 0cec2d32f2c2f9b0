import EvoformCore

/// Evolution API 1.8: flat snake_case bodies, `hash: {apikey}`, `fetchInstances` elements
/// wrapped in `{"instance": {...}}`, whole-object replacement on every `set`.
enum V1Dialect: Dialect {
    static let version = APIVersion.v1

    /// The create body's flat names (`../shared/seed/create-instance.md` and the 1.8 DTO).
    static let createKeys: [Field: String] = [
        .qrcode: "qrcode",
        .webhookURL: "webhook", .webhookByEvents: "webhook_by_events", .webhookBase64: "webhook_base64",
        .webhookEvents: "events",
        .chatwootAccountID: "chatwoot_account_id", .chatwootURL: "chatwoot_url",
        .chatwootSignMsg: "chatwoot_sign_msg", .chatwootReopenConversation: "chatwoot_reopen_conversation",
        .chatwootConversationPending: "chatwoot_conversation_pending", .chatwootNameInbox: "chatwoot_name_inbox",
        .chatwootImportContacts: "chatwoot_import_contacts", .chatwootImportMessages: "chatwoot_import_messages",
        .chatwootDaysLimitImportMessages: "chatwoot_days_limit_import_messages",
        .chatwootMergeBrazilContacts: "chatwoot_merge_brazil_contacts",
    ].merging(settingsKeys, uniquingKeysWith: { first, _ in first })

    /// `webhook/set` and `webhook/find` names.
    static let webhookKeys: [Field: String] = [
        .webhookEnabled: "enabled", .webhookURL: "url", .webhookByEvents: "webhook_by_events",
        .webhookBase64: "webhook_base64", .webhookEvents: "events",
    ]

    /// `chatwoot/set`, `chatwoot/find` and the `chatwoot` object of `fetchInstances`.
    static let chatwootKeys: [Field: String] = [
        .chatwootEnabled: "enabled", .chatwootAccountID: "account_id", .chatwootToken: "token", .chatwootURL: "url",
        .chatwootSignMsg: "sign_msg", .chatwootReopenConversation: "reopen_conversation",
        .chatwootConversationPending: "conversation_pending", .chatwootNameInbox: "name_inbox",
        .chatwootImportContacts: "import_contacts", .chatwootImportMessages: "import_messages",
        .chatwootDaysLimitImportMessages: "days_limit_import_messages",
        .chatwootMergeBrazilContacts: "merge_brazil_contacts",
    ]

    /// Settings names, the same at create, `settings/set` and `settings/find`.
    static let settingsKeys: [Field: String] = [
        .rejectCall: "reject_call", .msgCall: "msg_call", .groupsIgnore: "groups_ignore",
        .alwaysOnline: "always_online", .readMessages: "read_messages", .readStatus: "read_status",
        .syncFullHistory: "sync_full_history",
    ]

    /// What 1.8 stores for settings a create does not name (`groups_ignore` is always true).
    static let settingsDefaults: [Field: Bool] = [
        .rejectCall: false, .groupsIgnore: true, .alwaysOnline: false, .readMessages: false, .readStatus: false,
        .syncFullHistory: false,
    ]

    /// The URL 1.8 requires even to disable a webhook when none is known (it blanks it anyway).
    static let disabledWebhookURL = "http://localhost"

    static func createPayload(for desired: DesiredInstance) -> CreatePayload {
        let decision = CreateDecision(desired)
        let values = desired.configuration
        var body: [String: JSONValue] = ["instanceName": .string(desired.name.rawValue)]
        if let token = desired.secrets[.token] { body["token"] = .string(token.revealed) }
        Wire.write(values, fields: [.qrcode], keys: createKeys, into: &body)
        if decision.webhook == .send {
            Wire.write(values, fields: [.webhookURL, .webhookByEvents, .webhookBase64], keys: createKeys, into: &body)
            // Without `events` 1.8 silently stores no webhook: always send it (`[]` = all).
            body["events"] = Wire.json(values[.webhookEvents] ?? .events(.all))
        }
        if decision.chatwoot == .send, let token = desired.secrets[.chatwootToken] {
            Wire.write(values, fields: FieldGroup.chatwoot.fields, keys: createKeys, into: &body)
            body["chatwoot_token"] = .string(token.revealed)
            // 1.8 answers 400 (and leaves the instance half-created) without these three.
            for field in [Field.chatwootSignMsg, .chatwootReopenConversation, .chatwootConversationPending]
            where values[field] == nil {
                body[createKeys[field]!] = .bool(false)
            }
        }
        Wire.write(values, fields: FieldGroup.settings.fields, keys: createKeys, into: &body)

        var applied = decision.applied(desired, version: version)
        var pending: Set<FieldGroup> = []
        // 1.8 stores `groups_ignore: true` at create whatever is sent.
        if values[.groupsIgnore] == .bool(false) {
            applied[.groupsIgnore] = .bool(true)
            pending.insert(.settings)
        }
        return CreatePayload(body: .object(body), applied: applied, pendingGroups: pending)
    }

    static func created(from json: JSONValue?) -> CreatedFields {
        let instance = json?["instance"]
        return CreatedFields(
            serverID: instance?["instanceId"]?.stringValue,
            token: json?["hash"]?["apikey"]?.stringValue.map(Secret.init),
            qrCode: Wire.qrCode(json?["qrcode"]))
    }

    static func listed(from json: JSONValue?) throws(WireShapeError) -> [ListedInstance] {
        let elements: [JSONValue]
        switch json {
        case .array(let items)?: elements = items
        case .object?: elements = [json!]
        default: throw WireShapeError("fetchInstances did not return a list")
        }
        var result: [ListedInstance] = []
        for element in elements {
            guard let instance = element["instance"]?.objectValue,
                let name = instance["instanceName"]?.stringValue
            else { throw WireShapeError("a fetchInstances element has no instance.instanceName") }
            let token = instance["apikey"]?.stringValue.flatMap { $0.isEmpty ? nil : Secret($0) }
            var groups: [FieldGroup: GroupObservation] = [:]
            // With AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES the element carries `serverUrl`,
            // `apikey` and, only when enabled, `chatwoot`; so its absence then means disabled.
            if instance["serverUrl"] != nil || instance["apikey"] != nil {
                groups[.chatwoot] = try Wire.chatwoot(instance["chatwoot"], keys: chatwootKeys, version: version)
            }
            result.append(
                ListedInstance(
                    summary: InstanceSummary(
                        name: InstanceName(name), serverID: instance["instanceId"]?.stringValue,
                        status: Wire.status(instance["status"]), token: token),
                    groups: groups))
        }
        return result
    }

    static func observation(of group: FieldGroup, from json: JSONValue?) throws(WireShapeError) -> GroupObservation {
        switch group {
        case .webhook: try Wire.webhook(json, keys: webhookKeys, version: version)
        case .chatwoot: try Wire.chatwoot(json, keys: chatwootKeys, version: version)
        case .settings: try Wire.settings(json, keys: settingsKeys, version: version)
        case .createOnly, .replaceForcing: GroupObservation()
        }
    }

    static func setBody(_ input: SetInput) throws(IncompleteConfiguration) -> JSONValue {
        var body: [String: JSONValue] = [:]
        switch input.group {
        case .webhook:
            if input.enabled {
                guard input.string(.webhookURL) != nil else {
                    throw IncompleteConfiguration(messages: ["a webhook URL is needed to enable the webhook"])
                }
                Wire.write(input.values, fields: FieldGroup.webhook.fields, keys: webhookKeys, into: &body)
                body["events"] = Wire.json(.events(input.events() ?? .all))
            } else {
                // 1.8 requires a valid URL and `events` even to disable, then blanks both.
                body = ["enabled": false, "url": .string(input.string(.webhookURL) ?? disabledWebhookURL), "events": []]
            }
        case .chatwoot:
            if input.enabled {
                body = try chatwootEnabledBody(input)
            } else {
                // 1.8 requires seven keys even to disable, then blanks every field.
                body = [
                    "enabled": false, "account_id": "", "token": "", "url": "", "sign_msg": false,
                    "reopen_conversation": false, "conversation_pending": false,
                ]
            }
        case .settings:
            Wire.write(input.values, fields: FieldGroup.settings.fields, keys: settingsKeys, into: &body)
            for (field, fallback) in settingsDefaults where body[settingsKeys[field]!] == nil {
                body[settingsKeys[field]!] = .bool(fallback)
            }
        case .createOnly, .replaceForcing:
            throw IncompleteConfiguration(messages: ["the \(input.group.rawValue) fields cannot be set"])
        }
        return .object(body)
    }

    private static func chatwootEnabledBody(_ input: SetInput) throws(IncompleteConfiguration) -> [String: JSONValue] {
        var missing: [String] = []
        if input.integer(.chatwootAccountID) == nil { missing.append("chatwoot_account_id") }
        if input.secrets[.chatwootToken] == nil { missing.append("chatwoot_token") }
        if input.string(.chatwootURL) == nil { missing.append("chatwoot_url") }
        guard missing.isEmpty, let accountID = input.integer(.chatwootAccountID), let token = input.secrets[.chatwootToken]
        else {
            throw IncompleteConfiguration(messages: ["enabling Chatwoot needs " + missing.joined(separator: ", ")])
        }
        var body: [String: JSONValue] = [:]
        Wire.write(input.values, fields: FieldGroup.chatwoot.fields, keys: chatwootKeys, into: &body)
        body["account_id"] = .string(String(accountID))
        body["token"] = .string(token.revealed)
        for field in [Field.chatwootSignMsg, .chatwootReopenConversation, .chatwootConversationPending]
        where body[chatwootKeys[field]!] == nil {
            body[chatwootKeys[field]!] = .bool(false)
        }
        body["auto_create"] = .bool(input.turnsChatwootOn)
        return body
    }
}
