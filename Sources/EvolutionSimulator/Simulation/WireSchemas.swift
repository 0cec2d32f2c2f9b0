/// The request schemas of the two server versions, transcribed in their source key order
/// (`1.8.2:src/validate/validate.schema.ts`, `1.8.2:src/api/integrations/chatwoot/validate/chatwoot.schema.ts`,
/// `2.3.6:src/validate/instance.schema.ts`, `2.3.6:src/validate/settings.schema.ts`,
/// `2.3.6:src/api/integrations/event/webhook/webhook.schema.ts`,
/// `2.3.6:src/api/integrations/chatbot/chatwoot/validate/chatwoot.schema.ts`).
enum WireSchemas {
    /// The 26 event names of 1.8.2, in the order stored for `events: []`.
    static let v1Events: [String] = [
        "APPLICATION_STARTUP", "QRCODE_UPDATED", "MESSAGES_SET", "MESSAGES_UPSERT", "MESSAGES_UPDATE",
        "MESSAGES_DELETE", "SEND_MESSAGE", "CONTACTS_SET", "CONTACTS_UPSERT", "CONTACTS_UPDATE", "PRESENCE_UPDATE",
        "CHATS_SET", "CHATS_UPSERT", "CHATS_UPDATE", "CHATS_DELETE", "GROUPS_UPSERT", "GROUP_UPDATE",
        "GROUP_PARTICIPANTS_UPDATE", "CONNECTION_UPDATE", "LABELS_EDIT", "LABELS_ASSOCIATION", "CALL",
        "NEW_JWT_TOKEN", "TYPEBOT_START", "TYPEBOT_CHANGE_STATUS", "CHAMA_AI_ACTION",
    ]

    /// The 31 event names of 2.3.6 (`EventController.events`), in the order stored for `events: []`.
    static let v2Events: [String] = [
        "APPLICATION_STARTUP", "QRCODE_UPDATED", "MESSAGES_SET", "MESSAGES_UPSERT", "MESSAGES_EDITED",
        "MESSAGES_UPDATE", "MESSAGES_DELETE", "SEND_MESSAGE", "SEND_MESSAGE_UPDATE", "CONTACTS_SET",
        "CONTACTS_UPSERT", "CONTACTS_UPDATE", "PRESENCE_UPDATE", "CHATS_SET", "CHATS_UPSERT", "CHATS_UPDATE",
        "CHATS_DELETE", "GROUPS_UPSERT", "GROUP_UPDATE", "GROUP_PARTICIPANTS_UPDATE", "CONNECTION_UPDATE",
        "LABELS_EDIT", "LABELS_ASSOCIATION", "CALL", "TYPEBOT_START", "TYPEBOT_CHANGE_STATUS", "REMOVE_INSTANCE",
        "LOGOUT_INSTANCE", "INSTANCE_CREATE", "INSTANCE_DELETE", "STATUS_INSTANCE",
    ]

    /// The 26-name list the 2.3.6 create schema uses for its (ignored) flat `*Events` arrays.
    static let v2CreateSchemaEvents: [String] = [
        "APPLICATION_STARTUP", "QRCODE_UPDATED", "MESSAGES_SET", "MESSAGES_UPSERT", "MESSAGES_EDITED",
        "MESSAGES_UPDATE", "MESSAGES_DELETE", "SEND_MESSAGE", "SEND_MESSAGE_UPDATE", "CONTACTS_SET",
        "CONTACTS_UPSERT", "CONTACTS_UPDATE", "PRESENCE_UPDATE", "CHATS_SET", "CHATS_UPSERT", "CHATS_UPDATE",
        "CHATS_DELETE", "GROUPS_UPSERT", "GROUP_UPDATE", "GROUP_PARTICIPANTS_UPDATE", "CONNECTION_UPDATE",
        "LABELS_EDIT", "LABELS_ASSOCIATION", "CALL", "TYPEBOT_START", "TYPEBOT_CHANGE_STATUS",
    ]

    static let phonePattern = #"^\d+[\.@\w-]+"#

    private static func isNotEmpty(_ names: [String]) -> [(String, WireJSON)] {
        var properties = WireObject()
        for name in names {
            properties[name] = ["minLength": 1, "description": .string("The \"\(name)\" cannot be empty")]
        }
        return [
            ("if", ["propertyNames": ["enum": .array(names.map { .string($0) })]]),
            ("then", ["properties": .object(properties)]),
        ]
    }

    private static func object(_ properties: [(String, WireJSON)], required: [String]? = nil, notEmpty: [String]) -> WireJSON {
        var schema = WireObject([("type", "object"), ("properties", .object(WireObject(properties)))])
        if let required { schema["required"] = .array(required.map { .string($0) }) }
        for (key, value) in isNotEmpty(notEmpty) { schema[key] = value }
        return .object(schema)
    }

    private static func eventArray(_ names: [String]) -> WireJSON {
        ["type": "array", "minItems": 0, "items": ["type": "string", "enum": .array(names.map { .string($0) })]]
    }

    private static let boolean: WireJSON = ["type": "boolean"]
    private static let strictBoolean: WireJSON = ["type": "boolean", "enum": [true, false]]
    private static let string: WireJSON = ["type": "string"]
    private static let stringOrNull: WireJSON = ["type": ["string", "null"]]
    private static let number: WireJSON = ["type": "number"]

    // MARK: 1.8.2

    static let v1Create = object(
        [
            ("instanceName", string), ("webhook", string), ("webhook_by_events", boolean),
            ("events", eventArray(v1Events)), ("qrcode", strictBoolean),
            ("number", ["type": "string", "pattern": .string(phonePattern)]), ("token", string),
        ], notEmpty: ["instanceName"])

    static let v1Webhook = object(
        [("url", string), ("events", eventArray(v1Events))], required: ["url"], notEmpty: ["url"])

    static let v1Settings = object(
        [
            ("reject_call", strictBoolean), ("msg_call", string), ("groups_ignore", strictBoolean),
            ("always_online", strictBoolean), ("read_messages", strictBoolean), ("read_status", strictBoolean),
            ("sync_full_history", strictBoolean),
        ],
        required: ["reject_call", "groups_ignore", "always_online", "read_messages", "read_status", "sync_full_history"],
        notEmpty: ["reject_call", "groups_ignore", "always_online", "read_messages", "read_status", "sync_full_history"])

    static let v1Chatwoot = object(
        [
            ("enabled", strictBoolean), ("account_id", string), ("token", string), ("url", string),
            ("sign_msg", strictBoolean), ("sign_delimiter", stringOrNull), ("name_inbox", stringOrNull),
            ("reopen_conversation", strictBoolean), ("conversation_pending", strictBoolean),
            ("auto_create", strictBoolean), ("import_contacts", strictBoolean),
            ("merge_brazil_contacts", strictBoolean), ("import_messages", strictBoolean),
            ("days_limit_import_messages", number),
        ],
        required: ["enabled", "account_id", "token", "url", "sign_msg", "reopen_conversation", "conversation_pending"],
        notEmpty: ["account_id", "token", "url", "sign_msg", "reopen_conversation", "conversation_pending"])

    // MARK: 2.3.6

    static let v2Create = object(
        [
            ("instanceName", string), ("token", string),
            ("number", ["type": "string", "pattern": .string(phonePattern)]), ("businessId", string),
            ("qrcode", boolean),
            ("Integration", ["type": "string", "enum": ["WHATSAPP-BAILEYS", "WHATSAPP-BUSINESS", "EVOLUTION"]]),
            ("rejectCall", boolean), ("msgCall", string), ("groupsIgnore", boolean), ("alwaysOnline", boolean),
            ("readMessages", boolean), ("readStatus", boolean), ("syncFullHistory", boolean), ("wavoipToken", string),
            ("proxyHost", string), ("proxyPort", string), ("proxyProtocol", string), ("proxyUsername", string),
            ("proxyPassword", string),
            ("webhookUrl", string), ("webhookByEvents", boolean), ("webhookBase64", boolean),
            ("webhookEvents", eventArray(v2CreateSchemaEvents)),
            ("rabbitmqEnabled", boolean), ("rabbitmqEvents", eventArray(v2CreateSchemaEvents)),
            ("natsEnabled", boolean), ("natsEvents", eventArray(v2CreateSchemaEvents)),
            ("sqsEnabled", boolean), ("sqsEvents", eventArray(v2CreateSchemaEvents)),
            ("chatwootAccountId", string), ("chatwootToken", string), ("chatwootUrl", string),
            ("chatwootSignMsg", boolean), ("chatwootReopenConversation", boolean),
            ("chatwootConversationPending", boolean), ("chatwootImportContacts", boolean),
            ("chatwootNameInbox", string), ("chatwootMergeBrazilContacts", boolean),
            ("chatwootImportMessages", boolean), ("chatwootDaysLimitImportMessages", number),
        ], notEmpty: ["instanceName"])

    static let v2Webhook: WireJSON = .object(
        WireObject([
            ("type", "object"),
            (
                "properties",
                [
                    "webhook": object(
                        [
                            ("enabled", boolean), ("url", string), ("headers", ["type": "object"]),
                            ("byEvents", boolean), ("base64", boolean), ("events", eventArray(v2Events)),
                        ], required: ["enabled", "url"], notEmpty: ["enabled", "url"])
                ]
            ),
            ("required", ["webhook"]),
        ]))

    static let v2Settings = object(
        [
            ("rejectCall", boolean), ("msgCall", string), ("groupsIgnore", boolean), ("alwaysOnline", boolean),
            ("readMessages", boolean), ("readStatus", boolean), ("syncFullHistory", boolean), ("wavoipToken", string),
        ],
        required: ["rejectCall", "groupsIgnore", "alwaysOnline", "readMessages", "readStatus", "syncFullHistory"],
        notEmpty: ["rejectCall", "groupsIgnore", "alwaysOnline", "readMessages", "readStatus", "syncFullHistory"])

    static let v2Chatwoot = object(
        [
            ("enabled", strictBoolean), ("accountId", string), ("token", string), ("url", string),
            ("signMsg", strictBoolean), ("signDelimiter", stringOrNull), ("nameInbox", stringOrNull),
            ("reopenConversation", strictBoolean), ("conversationPending", strictBoolean),
            ("autoCreate", strictBoolean), ("importContacts", strictBoolean), ("mergeBrazilContacts", strictBoolean),
            ("importMessages", strictBoolean), ("daysLimitImportMessages", number),
            ("ignoreJids", ["type": "array", "items": ["type": "string"]]),
        ],
        required: ["enabled", "accountId", "token", "url", "signMsg", "reopenConversation", "conversationPending"],
        notEmpty: ["enabled", "accountId", "token", "url", "signMsg", "reopenConversation", "conversationPending"])
}
