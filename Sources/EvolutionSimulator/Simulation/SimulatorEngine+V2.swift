import Foundation

/// Evolution API 2.3.6 (`2.3.6:src/api/controllers/instance.controller.ts`,
/// `2.3.6:src/api/integrations/**`, `2.3.6:src/api/services/*.ts`) on PostgreSQL with
/// `CHATWOOT_ENABLED=true` and `DATABASE_SAVE_DATA_INSTANCE=true`.
extension SimulatorEngine {
    // MARK: create

    func v2Create(_ context: RequestContext) throws -> APIOutcome {
        let body = context.body
        try validate(body, WireSchemas.v2Create)
        let name = JavaScript.string(body["instanceName"])
        let integration = body["integration"]?.stringValue
        var created = false
        do {
            let isBusiness = integration == "WHATSAPP-BUSINESS"
            if !JavaScript.isTruthy(body["token"]) && isBusiness { throw APIFailure.badRequest("token is required") }
            guard let integration, ["WHATSAPP-BAILEYS", "WHATSAPP-BUSINESS", "EVOLUTION"].contains(integration) else {
                throw APIFailure.badRequest("Invalid integration")
            }
            let isBaileys = integration == "WHATSAPP-BAILEYS"
            let hash = JavaScript.isTruthy(body["token"]) ? JavaScript.string(body["token"]) : random.uuid().uppercased()
            var instance = newInstance(name: name, token: hash, integration: integration)
            instance.number = body["number"]?.stringValue
            instance.businessId = body["businessId"]?.stringValue
            if !isBaileys { instance.state = .open }
            insert(instance)
            created = true

            if let webhook = body["webhook"], webhook.isTruthy {
                let hook = webhook.objectValue ?? WireObject()
                guard let events = hook["events"], events != .null else {
                    throw APIFailure.javaScriptError(APIFailure.missingEventsMessage)
                }
                guard hook["url"] != nil, hook["url"] != .null else {
                    throw APIFailure.javaScriptError("Argument `url` is missing.")
                }
                var set = WireObject()
                set["enabled"] = true
                set["url"] = hook["url"]
                set["headers"] = hook["headers"]
                set["byEvents"] = hook["byEvents"]
                set["base64"] = hook["base64"]
                set["events"] = events
                storeV2Webhook(set, for: name)
            }
            if JavaScript.isTruthy(body["proxyHost"]), JavaScript.isTruthy(body["proxyPort"]),
                JavaScript.isTruthy(body["proxyProtocol"])
            {
                // The real server tests the proxy over the network; the simulator never leaves loopback.
                throw APIFailure.badRequest("Invalid proxy")
            }
            var settings = WireObject()
            settings["rejectCall"] = .bool(body["rejectCall"] == .bool(true))
            settings["msgCall"] = JavaScript.or(body["msgCall"], "")
            settings["groupsIgnore"] = .bool(body["groupsIgnore"] == .bool(true))
            settings["alwaysOnline"] = .bool(body["alwaysOnline"] == .bool(true))
            settings["readMessages"] = .bool(body["readMessages"] == .bool(true))
            settings["readStatus"] = .bool(body["readStatus"] == .bool(true))
            settings["syncFullHistory"] = .bool(body["syncFullHistory"] == .bool(true))
            settings["wavoipToken"] = JavaScript.or(body["wavoipToken"], "")
            try storeV2Settings(settings, for: name)

            var businessWebhook: WireJSON = .null
            var businessToken: WireJSON = ""
            if isBusiness {
                guard JavaScript.isTruthy(body["number"]) else { throw APIFailure.badRequest("number is required") }
                businessWebhook = .string("\(serverURL)/webhook/meta")
                businessToken = "evolution"
            }

            var result = WireObject()
            var webhookEcho = WireObject()
            let hook = body["webhook"]?.objectValue
            webhookEcho["webhookUrl"] = hook?["url"]
            webhookEcho["webhookHeaders"] = hook?["headers"]
            webhookEcho["webhookByEvents"] = hook?["byEvents"]
            webhookEcho["webhookBase64"] = hook?["base64"]
            result["hash"] = .string(hash)
            result["webhook"] = .object(webhookEcho)
            for sink in ["websocket", "rabbitmq", "nats", "sqs"] {
                var echo = WireObject()
                echo["enabled"] = body[sink]?.objectValue?["enabled"]
                result[sink] = .object(echo)
            }
            result["settings"] = .object(settings)

            let accountId = body["chatwootAccountId"]
            let chatwootToken = body["chatwootToken"]
            let chatwootURL = body["chatwootUrl"]
            guard JavaScript.isTruthy(accountId), JavaScript.isTruthy(chatwootToken), JavaScript.isTruthy(chatwootURL) else {
                var hold = 0
                if JavaScript.isTruthy(body["qrcode"]) && isBaileys {
                    result["qrcode"] = startOrRefreshPairing(name, number: body["number"]?.stringValue)
                    hold = configuration.qrDelayMilliseconds
                }
                result.prepend("instance", v2InstanceBlock(name: name, integration: body["integration"], businessWebhook, businessToken))
                return APIOutcome(status: 201, body: .object(result), holdMilliseconds: hold)
            }
            guard JavaScript.isURL(chatwootURL) else { throw APIFailure.badRequest("Invalid \"url\" property in chatwoot") }
            guard body["chatwootSignMsg"]?.boolValue != nil else { throw APIFailure.badRequest("signMsg is required") }
            guard body["chatwootReopenConversation"]?.boolValue != nil else {
                throw APIFailure.badRequest("reopenConversation is required")
            }
            guard body["chatwootConversationPending"]?.boolValue != nil else {
                throw APIFailure.badRequest("conversationPending is required")
            }
            var data = WireObject()
            data["enabled"] = true
            data["accountId"] = accountId
            data["token"] = chatwootToken
            data["url"] = chatwootURL
            data["signMsg"] = JavaScript.or(body["chatwootSignMsg"], false)
            data["nameInbox"] = JavaScript.coalesce(
                body["chatwootNameInbox"], .string(String(name.components(separatedBy: "-cwId-")[0])))
            data["number"] = body["number"]
            data["reopenConversation"] = JavaScript.or(body["chatwootReopenConversation"], false)
            data["conversationPending"] = JavaScript.or(body["chatwootConversationPending"], false)
            data["importContacts"] = JavaScript.coalesce(body["chatwootImportContacts"], true)
            data["mergeBrazilContacts"] = JavaScript.coalesce(body["chatwootMergeBrazilContacts"], false)
            data["importMessages"] = JavaScript.coalesce(body["chatwootImportMessages"], true)
            data["daysLimitImportMessages"] = JavaScript.coalesce(body["chatwootDaysLimitImportMessages"], 60)
            data["organization"] = body["chatwootOrganization"]
            data["logo"] = body["chatwootLogo"]
            data["autoCreate"] = .bool(body["chatwootAutoCreate"] != .bool(false))
            storeV2Chatwoot(data, for: name)
            if data["autoCreate"] == .bool(true) { instances[name]?.chatwootBootstraps += 1 }

            var block = WireObject()
            block["enabled"] = true
            block["accountId"] = accountId
            block["token"] = chatwootToken
            block["url"] = chatwootURL
            block["signMsg"] = data["signMsg"]
            block["reopenConversation"] = data["reopenConversation"]
            block["conversationPending"] = data["conversationPending"]
            block["mergeBrazilContacts"] = data["mergeBrazilContacts"]
            block["importContacts"] = data["importContacts"]
            block["importMessages"] = data["importMessages"]
            block["daysLimitImportMessages"] = JavaScript.or(body["chatwootDaysLimitImportMessages"], 60)
            block["number"] = body["number"]
            block["nameInbox"] = JavaScript.coalesce(body["chatwootNameInbox"], .string(name))
            block["webhookUrl"] = .string(chatwootWebhookURL(name))
            result["chatwoot"] = .object(block)
            result.prepend("instance", v2InstanceBlock(name: name, integration: body["integration"], businessWebhook, businessToken))
            return APIOutcome(status: 201, body: .object(result))
        } catch let failure as APIFailure {
            // Any error rolls the instance back (in the background) and becomes a 400 with its first message.
            if created { scheduleRemoval(name) }
            let first: String
            switch failure.message {
            case .array(let messages): first = messages.first.map { JavaScript.string($0) } ?? ""
            default: first = JavaScript.string(failure.message)
            }
            throw APIFailure.badRequest(first)
        }
    }

    private func v2InstanceBlock(name: String, integration: WireJSON?, _ businessWebhook: WireJSON, _ businessToken: WireJSON)
        -> WireJSON
    {
        var block = WireObject()
        block["instanceName"] = .string(name)
        block["instanceId"] = .string(instances[name]?.id ?? "")
        block["integration"] = integration
        block["webhookWaBusiness"] = businessWebhook
        block["accessTokenWaBusiness"] = businessToken
        block["status"] = .string(instances[name]?.state.rawValue ?? "close")
        return .object(block)
    }

    // MARK: fetchInstances

    func v2FetchInstances(_ context: RequestContext) throws -> APIOutcome {
        let request = context.request
        let nameFilter = request.query("instanceName").flatMap { $0.isEmpty ? nil : $0 }
        let idFilter = request.query("instanceId").flatMap { $0.isEmpty ? nil : $0 }
        if context.apiKey != configuration.apiKey {
            let rows = orderedInstances.filter { instance in
                instance.token == context.apiKey && (nameFilter == nil || instance.name == nameFilter)
                    && (idFilter == nil || instance.id == idFilter)
            }
            guard !rows.isEmpty else { throw APIFailure.unauthorized }
            return APIOutcome(status: 200, body: .array(rows.map(v2InstanceRow)))
        }
        if let idFilter {
            guard let instance = orderedInstances.first(where: { $0.id == idFilter }) else {
                throw APIFailure.notFound("Instance \"\(idFilter)\" not found")
            }
            return APIOutcome(status: 200, body: [v2InstanceRow(instance)])
        }
        if let number = request.query("number").flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let instance = orderedInstances.first(where: { $0.number == number }) else {
                throw APIFailure.notFound("Instance \"\(number)\" not found")
            }
            return APIOutcome(status: 200, body: [v2InstanceRow(instance)])
        }
        if let nameFilter {
            guard let instance = instances[nameFilter] else {
                throw APIFailure.notFound("Instance \"\(nameFilter)\" not found")
            }
            return APIOutcome(status: 200, body: [v2InstanceRow(instance)])
        }
        return APIOutcome(status: 200, body: .array(orderedInstances.map(v2InstanceRow)))
    }

    /// The Prisma `Instance` row with its included relations.
    func v2InstanceRow(_ instance: SimulatedInstance) -> WireJSON {
        var row = WireObject()
        row["id"] = .string(instance.id)
        row["name"] = .string(instance.name)
        row["connectionStatus"] = .string(instance.state.rawValue)
        row["ownerJid"] = .string(orNull: instance.ownerJid)
        row["profileName"] = .string(orNull: instance.profileName)
        row["profilePicUrl"] = .null
        row["integration"] = .string(instance.integration)
        row["number"] = .string(orNull: instance.number)
        row["businessId"] = .string(orNull: instance.businessId)
        row["token"] = .string(instance.token)
        row["clientName"] = "evolution"
        row["disconnectionReasonCode"] = .null
        row["disconnectionObject"] = .null
        row["disconnectionAt"] = .null
        row["createdAt"] = Self.timestamp(instance.createdAt)
        row["updatedAt"] = Self.timestamp(instance.updatedAt)
        row["Chatwoot"] = instance.chatwoot.map { .object($0) } ?? .null
        row["Proxy"] = .null
        row["Rabbitmq"] = .null
        row["Nats"] = .null
        row["Sqs"] = .null
        row["Websocket"] = .null
        row["Setting"] = instance.settings.map { .object($0) } ?? .null
        row["_count"] = ["Message": 0, "Contact": 0, "Chat": 0]
        return .object(row)
    }

    // MARK: connect, restart, delete

    func v2Connect(_ context: RequestContext) -> APIOutcome {
        let name = context.instanceName
        guard let instance = instances[name] else {
            return APIOutcome(status: 200, body: ["error": true, "message": "[object Object]"])
        }
        switch instance.state {
        case .open:
            return APIOutcome(status: 200, body: connectionStateBody(name))
        case .connecting:
            return APIOutcome(status: 200, body: startOrRefreshPairing(name, number: context.request.query("number")))
        case .close:
            let body = startOrRefreshPairing(name, number: context.request.query("number"))
            return APIOutcome(status: 200, body: body, holdMilliseconds: configuration.qrDelayMilliseconds)
        }
    }

    func v2Restart(_ context: RequestContext) -> APIOutcome {
        let name = context.instanceName
        switch instances[name]?.state {
        case .open?:
            return APIOutcome(status: 200, body: connectionStateBody(name))
        case .connecting?:
            return APIOutcome(status: 200, body: startOrRefreshPairing(name, number: nil))
        default:
            // The "not connected" exception stringified.
            return APIOutcome(status: 200, body: ["error": true, "message": "[object Object]"])
        }
    }

    func v2Delete(_ context: RequestContext) throws -> APIOutcome {
        let name = context.instanceName
        if let state = instances[name]?.state, state != .close { disconnect(name) }
        scheduleRemoval(name)
        return APIOutcome(status: 200, body: Self.deletedBody)
    }

    // MARK: webhook

    func v2SetWebhook(_ context: RequestContext) throws -> APIOutcome {
        let body = context.body
        try validate(body, WireSchemas.v2Webhook)
        let hook = body["webhook"]?.objectValue ?? WireObject()
        if JavaScript.isTruthy(hook["enabled"]) && hook["events"] == nil {
            throw APIFailure.javaScriptError(APIFailure.missingEventsMessage)
        }
        let row = storeV2Webhook(hook, for: context.instanceName)
        return APIOutcome(status: 201, body: .object(row))
    }

    /// `WebhookController.set` (2.3.6): `events` emptied when disabled, `[]` means all; a Prisma
    /// upsert, so omitted optional fields keep their stored values.
    @discardableResult
    func storeV2Webhook(_ hook: WireObject, for name: String) -> WireObject {
        var events = hook["events"] ?? .null
        if !JavaScript.isTruthy(hook["enabled"]) {
            events = []
        } else if events.arrayValue?.isEmpty == true || events == .string("") {
            events = .array(WireSchemas.v2Events.map { .string($0) })
        }
        let now = Date()
        var row: WireObject
        if let existing = instances[name]?.webhook {
            row = existing
            if let enabled = hook["enabled"] { row["enabled"] = enabled }
            row["events"] = events
            if let url = hook["url"] { row["url"] = url }
            if let headers = hook["headers"] { row["headers"] = headers }
            if let base64 = hook["base64"] { row["webhookBase64"] = base64 }
            if let byEvents = hook["byEvents"] { row["webhookByEvents"] = byEvents }
            row["updatedAt"] = Self.timestamp(now)
        } else {
            row = WireObject()
            row["id"] = .string(random.cuid())
            row["url"] = hook["url"] ?? ""
            row["headers"] = hook["headers"] ?? .null
            row["enabled"] = hook["enabled"] ?? true
            row["events"] = events
            row["webhookByEvents"] = hook["byEvents"] ?? false
            row["webhookBase64"] = hook["base64"] ?? false
            row["createdAt"] = Self.timestamp(now)
            row["updatedAt"] = Self.timestamp(now)
            row["instanceId"] = .string(instances[name]?.id ?? "")
        }
        instances[name]?.webhook = row
        return row
    }

    func v2FindWebhook(_ context: RequestContext) -> APIOutcome {
        APIOutcome(status: 200, body: instances[context.instanceName]?.webhook.map { .object($0) } ?? .null)
    }

    // MARK: settings

    func v2SetSettings(_ context: RequestContext) throws -> APIOutcome {
        let data = context.body
        try validate(data, WireSchemas.v2Settings)
        do {
            try storeV2Settings(data, for: context.instanceName)
        } catch let failure as APIFailure {
            throw APIFailure.javaScriptError(JavaScript.string(failure.message))
        }
        var echo = instanceEcho(context)
        echo["settings"] = .object(data)
        return APIOutcome(status: 201, body: ["settings": .object(echo)])
    }

    /// `setSettings` (2.3.6): a Prisma upsert, then a socket reconnect when `wavoipToken` is set,
    /// which throws on an instance that never connected (the settings stay saved).
    func storeV2Settings(_ data: WireObject, for name: String) throws {
        let now = Date()
        var row: WireObject
        let fields = ["rejectCall", "msgCall", "groupsIgnore", "alwaysOnline", "readMessages", "readStatus", "syncFullHistory", "wavoipToken"]
        if let existing = instances[name]?.settings {
            row = existing
            for field in fields { if let value = data[field] { row[field] = value } }
            row["updatedAt"] = Self.timestamp(now)
        } else {
            row = WireObject([("id", .string(random.cuid()))])
            row["rejectCall"] = data["rejectCall"] ?? false
            row["msgCall"] = data["msgCall"] ?? .null
            row["groupsIgnore"] = data["groupsIgnore"] ?? false
            row["alwaysOnline"] = data["alwaysOnline"] ?? false
            row["readMessages"] = data["readMessages"] ?? false
            row["readStatus"] = data["readStatus"] ?? false
            row["syncFullHistory"] = data["syncFullHistory"] ?? false
            row["wavoipToken"] = data["wavoipToken"] ?? .null
            row["createdAt"] = Self.timestamp(now)
            row["updatedAt"] = Self.timestamp(now)
            row["instanceId"] = .string(instances[name]?.id ?? "")
        }
        instances[name]?.settings = row
        if let token = data["wavoipToken"], JavaScript.isTruthy(token), instances[name]?.state != .open {
            throw APIFailure.javaScriptError("Cannot read properties of undefined (reading 'ws')")
        }
    }

    func v2FindSettings(_ context: RequestContext) -> APIOutcome {
        guard let row = instances[context.instanceName]?.settings else { return APIOutcome(status: 200, body: .null) }
        var shape = WireObject()
        for key in ["rejectCall", "msgCall", "groupsIgnore", "alwaysOnline", "readMessages", "readStatus", "syncFullHistory", "wavoipToken"] {
            shape[key] = row[key] ?? .null
        }
        return APIOutcome(status: 200, body: .object(shape))
    }

    // MARK: chatwoot

    func v2SetChatwoot(_ context: RequestContext) throws -> APIOutcome {
        var data = context.body
        try validate(data, WireSchemas.v2Chatwoot)
        if JavaScript.isTruthy(data["enabled"]) {
            guard JavaScript.isURL(data["url"]) else { throw APIFailure.badRequest("url is not valid") }
            guard JavaScript.isTruthy(data["accountId"]) else { throw APIFailure.badRequest("accountId is required") }
            guard JavaScript.isTruthy(data["token"]) else { throw APIFailure.badRequest("token is required") }
            guard data["signMsg"]?.boolValue != nil else { throw APIFailure.badRequest("signMsg is required") }
            if data["signMsg"] == .bool(false) { data["signDelimiter"] = .null }
        }
        if !JavaScript.isTruthy(data["nameInbox"]) { data["nameInbox"] = .string(context.instanceName) }
        storeV2Chatwoot(data, for: context.instanceName)
        if data["enabled"] == .bool(true), data["autoCreate"] == .bool(true) {
            instances[context.instanceName]?.chatwootBootstraps += 1
        }
        var response = data
        response["webhook_url"] = .string(chatwootWebhookURL(context.instanceName))
        return APIOutcome(status: 201, body: .object(response))
    }

    /// `setChatwoot` (2.3.6): update when a row exists (omitted fields unchanged), else create
    /// (which does not persist `signDelimiter`).
    func storeV2Chatwoot(_ data: WireObject, for name: String) {
        let now = Date()
        var row: WireObject
        let mapped: [(column: String, value: WireJSON?)] = [
            ("enabled", data["enabled"]), ("accountId", data["accountId"]), ("token", data["token"]), ("url", data["url"]),
            ("nameInbox", data["nameInbox"]), ("signMsg", data["signMsg"]), ("number", data["number"]),
            ("reopenConversation", data["reopenConversation"]), ("conversationPending", data["conversationPending"]),
            ("mergeBrazilContacts", data["mergeBrazilContacts"]), ("importContacts", data["importContacts"]),
            ("importMessages", data["importMessages"]), ("daysLimitImportMessages", data["daysLimitImportMessages"]),
            ("organization", data["organization"]), ("logo", data["logo"]), ("ignoreJids", data["ignoreJids"]),
        ]
        if let existing = instances[name]?.chatwoot {
            row = existing
            for (column, value) in mapped { if let value { row[column] = value } }
            if !JavaScript.isTruthy(data["signMsg"]) {
                row["signDelimiter"] = .null
            } else if let delimiter = data["signDelimiter"] {
                row["signDelimiter"] = delimiter
            }
            row["updatedAt"] = Self.timestamp(now)
        } else {
            row = WireObject([("id", .string(random.cuid()))])
            let defaults: [String: WireJSON] = [
                "enabled": true, "signMsg": false, "reopenConversation": false, "conversationPending": false,
                "mergeBrazilContacts": false, "importContacts": false, "importMessages": false,
            ]
            for column in [
                "enabled", "accountId", "token", "url", "nameInbox", "signMsg", "signDelimiter", "number",
                "reopenConversation", "conversationPending", "mergeBrazilContacts", "importContacts", "importMessages",
                "daysLimitImportMessages", "organization", "logo", "ignoreJids",
            ] {
                let value = mapped.first { $0.column == column }?.value
                row[column] = value ?? defaults[column] ?? .null
            }
            row["createdAt"] = Self.timestamp(now)
            row["updatedAt"] = Self.timestamp(now)
            row["instanceId"] = .string(instances[name]?.id ?? "")
        }
        instances[name]?.chatwoot = row
    }

    func v2FindChatwoot(_ context: RequestContext) -> APIOutcome {
        guard let row = instances[context.instanceName]?.chatwoot else {
            return APIOutcome(
                status: 200,
                body: [
                    "enabled": false, "url": "", "accountId": "", "token": "", "signMsg": false, "nameInbox": "",
                    "webhook_url": "",
                ])
        }
        var shape = WireObject()
        for key in ["enabled", "accountId", "token", "url", "nameInbox", "signMsg"] { shape[key] = row[key] ?? .null }
        shape["signDelimiter"] = JavaScript.or(row["signDelimiter"], .null)
        for key in [
            "reopenConversation", "conversationPending", "mergeBrazilContacts", "importContacts", "importMessages",
            "daysLimitImportMessages", "organization", "logo",
        ] {
            shape[key] = row[key] ?? .null
        }
        shape["ignoreJids"] = .array((row["ignoreJids"]?.arrayValue ?? []).map { .string(JavaScript.string($0)) })
        shape["webhook_url"] = .string(chatwootWebhookURL(context.instanceName))
        return APIOutcome(status: 200, body: .object(shape))
    }
}

extension WireObject {
    /// Puts `key` first (the real responses build `instance` first; the simulator fills it last).
    mutating func prepend(_ key: String, _ value: WireJSON) {
        var reordered = WireObject([(key, value)])
        for entry in entries where entry.key != key { reordered[entry.key] = entry.value }
        self = reordered
    }
}
