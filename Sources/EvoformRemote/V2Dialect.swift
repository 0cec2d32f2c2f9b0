import EvoformCore

/// Evolution API 2.3: camelCase bodies, the webhook nested under `webhook`, `integration`
/// required at create, `hash` a plain string, flat Prisma rows from `fetchInstances` (with the
/// `Chatwoot` and `Setting` relations, without the webhook), upserts on every `set`.
enum V2Dialect: Dialect {
    static let version = APIVersion.v2

    /// The only channel evoform creates.
    static let integration = "WHATSAPP-BAILEYS"

    /// Top-level create names (the webhook goes nested, see `createWebhookKeys`).
    static let createKeys: [Field: String] = [
        .qrcode: "qrcode",
        .chatwootAccountID: "chatwootAccountId", .chatwootURL: "chatwootUrl", .chatwootSignMsg: "chatwootSignMsg",
        .chatwootReopenConversation: "chatwootReopenConversation",
        .chatwootConversationPending: "chatwootConversationPending", .chatwootNameInbox: "chatwootNameInbox",
        .chatwootImportContacts: "chatwootImportContacts", .chatwootImportMessages: "chatwootImportMessages",
        .chatwootDaysLimitImportMessages: "chatwootDaysLimitImportMessages",
        .chatwootMergeBrazilContacts: "chatwootMergeBrazilContacts",
    ].merging(settingsKeys, uniquingKeysWith: { first, _ in first })

    /// The nested `webhook` object of create and `webhook/set`.
    static let webhookSetKeys: [Field: String] = [
        .webhookEnabled: "enabled", .webhookURL: "url", .webhookByEvents: "byEvents", .webhookBase64: "base64",
        .webhookEvents: "events",
    ]

    /// The stored row `webhook/find` returns.
    static let webhookFindKeys: [Field: String] = [
        .webhookEnabled: "enabled", .webhookURL: "url", .webhookByEvents: "webhookByEvents",
        .webhookBase64: "webhookBase64", .webhookEvents: "events",
    ]

    /// `chatwoot/set`, `chatwoot/find` and the `Chatwoot` relation of `fetchInstances`.
    static let chatwootKeys: [Field: String] = [
        .chatwootEnabled: "enabled", .chatwootAccountID: "accountId", .chatwootToken: "token", .chatwootURL: "url",
        .chatwootSignMsg: "signMsg", .chatwootReopenConversation: "reopenConversation",
        .chatwootConversationPending: "conversationPending", .chatwootNameInbox: "nameInbox",
        .chatwootImportContacts: "importContacts", .chatwootImportMessages: "importMessages",
        .chatwootDaysLimitImportMessages: "daysLimitImportMessages",
        .chatwootMergeBrazilContacts: "mergeBrazilContacts",
    ]

    /// Settings names: create, `settings/set`, `settings/find` and the `Setting` relation.
    static let settingsKeys: [Field: String] = [
        .rejectCall: "rejectCall", .msgCall: "msgCall", .groupsIgnore: "groupsIgnore", .alwaysOnline: "alwaysOnline",
        .readMessages: "readMessages", .readStatus: "readStatus", .syncFullHistory: "syncFullHistory",
    ]

    static let settingsDefaults: [Field: Bool] = [
        .rejectCall: false, .groupsIgnore: false, .alwaysOnline: false, .readMessages: false, .readStatus: false,
        .syncFullHistory: false,
    ]

    static func createPayload(for desired: DesiredInstance) -> CreatePayload {
        let decision = CreateDecision(desired)
        let values = desired.configuration
        var body: [String: JSONValue] = [
            "instanceName": .string(desired.name.rawValue), "integration": .string(integration),
        ]
        if let token = desired.secrets[.token] { body["token"] = .string(token.revealed) }
        Wire.write(values, fields: [.qrcode], keys: createKeys, into: &body)
        if decision.webhook == .send {
            var webhook: [String: JSONValue] = [:]
            Wire.write(values, fields: [.webhookURL, .webhookByEvents, .webhookBase64], keys: webhookSetKeys, into: &webhook)
            // 2.3 fails the create without `events`, and stores the webhook enabled whatever is sent.
            webhook["events"] = Wire.json(values[.webhookEvents] ?? .events(.all))
            webhook["enabled"] = true
            body["webhook"] = .object(webhook)
        }
        if decision.chatwoot == .send, let token = desired.secrets[.chatwootToken] {
            Wire.write(values, fields: FieldGroup.chatwoot.fields, keys: createKeys, into: &body)
            if case .integer(let accountID)? = values[.chatwootAccountID] {
                body["chatwootAccountId"] = .string(String(accountID))  // 2.3's schema wants a string
            }
            body["chatwootToken"] = .string(token.revealed)
            for field in [Field.chatwootSignMsg, .chatwootReopenConversation, .chatwootConversationPending]
            where values[field] == nil {
                body[createKeys[field]!] = .bool(false)
            }
        }
        Wire.write(values, fields: FieldGroup.settings.fields, keys: createKeys, into: &body)
        return CreatePayload(body: .object(body), applied: decision.applied(desired, version: version), pendingGroups: [])
    }

    static func created(from json: JSONValue?) -> CreatedFields {
        CreatedFields(
            serverID: json?["instance"]?["instanceId"]?.stringValue,
            token: json?["hash"]?.stringValue.map(Secret.init),
            qrCode: Wire.qrCode(json?["qrcode"]))
    }

    static func listed(from json: JSONValue?) throws(WireShapeError) -> [ListedInstance] {
        guard case .array(let rows)? = json else { throw WireShapeError("fetchInstances did not return a list") }
        var result: [ListedInstance] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            guard let object = row.objectValue, let name = object["name"]?.stringValue else {
                throw WireShapeError("a fetchInstances row has no name")
            }
            var groups: [FieldGroup: GroupObservation] = [:]
            if let chatwoot = object["Chatwoot"] {
                groups[.chatwoot] = try Wire.chatwoot(chatwoot, keys: chatwootKeys, version: version)
            }
            if let setting = object["Setting"] {
                groups[.settings] = try Wire.settings(setting, keys: settingsKeys, version: version)
            }
            let token = object["token"]?.stringValue.flatMap { $0.isEmpty ? nil : Secret($0) }
            result.append(
                ListedInstance(
                    summary: InstanceSummary(
                        name: InstanceName(name), serverID: object["id"]?.stringValue,
                        status: Wire.status(object["connectionStatus"]), token: token),
                    groups: groups))
        }
        return result
    }

    static func observation(of group: FieldGroup, from json: JSONValue?) throws(WireShapeError) -> GroupObservation {
        switch group {
        case .webhook: try Wire.webhook(json, keys: webhookFindKeys, version: version)
        case .chatwoot: try Wire.chatwoot(json, keys: chatwootKeys, version: version)
        case .settings: try Wire.settings(json, keys: settingsKeys, version: version)
        case .createOnly, .replaceForcing: GroupObservation()
        }
    }

    static func setBody(_ input: SetInput) throws(IncompleteConfiguration) -> JSONValue {
        switch input.group {
        case .webhook:
            if input.enabled, input.string(.webhookURL) == nil {
                throw IncompleteConfiguration(messages: ["a webhook URL is needed to enable the webhook"])
            }
            var webhook: [String: JSONValue] = [:]
            Wire.write(input.values, fields: FieldGroup.webhook.fields, keys: webhookSetKeys, into: &webhook)
            // `url` is required even to disable (2.3 keeps it); `events` always goes (`[]` = all).
            webhook["url"] = .string(input.string(.webhookURL) ?? "")
            webhook["events"] = input.enabled ? Wire.json(.events(input.events() ?? .all)) : []
            return .object(["webhook": .object(webhook)])
        case .chatwoot:
            return .object(try chatwootBody(input))
        case .settings:
            var body: [String: JSONValue] = [:]
            Wire.write(input.values, fields: FieldGroup.settings.fields, keys: settingsKeys, into: &body)
            for (field, fallback) in settingsDefaults where body[settingsKeys[field]!] == nil {
                body[settingsKeys[field]!] = .bool(fallback)
            }
            return .object(body)
        case .createOnly, .replaceForcing:
            throw IncompleteConfiguration(messages: ["the \(input.group.rawValue) fields cannot be set"])
        }
    }

    private static func chatwootBody(_ input: SetInput) throws(IncompleteConfiguration) -> [String: JSONValue] {
        let accountID = input.integer(.chatwootAccountID)
        let token = input.secrets[.chatwootToken]
        let url = input.string(.chatwootURL)
        if input.enabled {
            var missing: [String] = []
            if accountID == nil { missing.append("chatwoot_account_id") }
            if token == nil { missing.append("chatwoot_token") }
            if url == nil { missing.append("chatwoot_url") }
            if !missing.isEmpty {
                throw IncompleteConfiguration(messages: ["enabling Chatwoot needs " + missing.joined(separator: ", ")])
            }
        }
        var body: [String: JSONValue] = [:]
        Wire.write(input.values, fields: FieldGroup.chatwoot.fields, keys: chatwootKeys, into: &body)
        // 2.3 requires seven keys even to disable, and keeps what is sent (so re-enabling later
        // finds the old values); account id as a string.
        body["accountId"] = .string(accountID.map(String.init) ?? "")
        body["token"] = .string(token?.revealed ?? "")
        body["url"] = .string(url ?? "")
        for field in [Field.chatwootSignMsg, .chatwootReopenConversation, .chatwootConversationPending]
        where body[chatwootKeys[field]!] == nil {
            body[chatwootKeys[field]!] = .bool(false)
        }
        body["autoCreate"] = .bool(input.turnsChatwootOn)
        if !input.enabled, accountID == nil || token == nil || url == nil, body["signMsg"] == .bool(false) {
            // With only the seven required keys, 2.3 rejects empty strings ("cannot be empty");
            // one more key (harmless: `signMsg: false` forces it to null anyway) lifts the rule.
            body["signDelimiter"] = .null
        }
        return body
    }
}
