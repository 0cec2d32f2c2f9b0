import Foundation

/// Evolution API 1.8.2 (`1.8.2:src/api/controllers/*.ts`, `1.8.2:src/api/services/*.ts`),
/// storage in MongoDB mode unless configured otherwise, `AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true`.
extension SimulatorEngine {
    // MARK: create

    func v1Create(_ context: RequestContext) throws -> APIOutcome {
        let body = context.body
        try validate(body, WireSchemas.v1Create)
        let name = body["instanceName"]?.stringValue ?? ""
        let token = body["token"]
        let integration = body["integration"]
        let number = body["number"]
        do {
            if let token, orderedInstances.contains(where: { .string($0.token) == token }) {
                throw APIFailure.badRequest("Token already exists")
            }
            let isBusiness = integration == .string("WHATSAPP-BUSINESS")
            if !JavaScript.isTruthy(token) && isBusiness { throw APIFailure.badRequest("token is required") }

            // From here on the instance exists, whatever fails later (no rollback in 1.8.2).
            let hash = JavaScript.isTruthy(token) ? JavaScript.string(token) : random.uuid().uppercased()
            var instance = newInstance(name: name, token: hash, integration: JavaScript.string(integration))
            instance.number = number?.stringValue
            if isBusiness { instance.state = .open }
            insert(instance)

            var webhookEvents: WireJSON?
            if let webhook = body["webhook"], webhook.isTruthy {
                guard JavaScript.isURL(webhook) else { throw APIFailure.badRequest("Invalid \"url\" property in webhook") }
                // `events.length` of a missing list throws inside a try whose error is only logged.
                if let events = body["events"] {
                    var stored = WireObject()
                    stored["enabled"] = true
                    stored["url"] = webhook
                    stored["events"] = events.arrayValue?.isEmpty == true ? .array(WireSchemas.v1Events.map { .string($0) }) : events
                    stored["webhook_by_events"] = body["webhook_by_events"]
                    stored["webhook_base64"] = body["webhook_base64"]
                    instances[name]?.webhook = stored
                    webhookEvents = stored["events"]
                }
            }
            if let proxy = body["proxy"], proxy.isTruthy {
                // The real server tests the proxy over the network; the simulator never leaves loopback.
                throw APIFailure.badRequest("Invalid proxy")
            }
            var settings = WireObject()
            settings["reject_call"] = JavaScript.or(body["reject_call"], false)
            settings["msg_call"] = JavaScript.or(body["msg_call"], "")
            settings["groups_ignore"] = JavaScript.or(body["groups_ignore"], true)
            settings["always_online"] = JavaScript.or(body["always_online"], false)
            settings["read_messages"] = JavaScript.or(body["read_messages"], false)
            settings["read_status"] = JavaScript.or(body["read_status"], false)
            settings["sync_full_history"] = JavaScript.coalesce(body["sync_full_history"], false)
            instances[name]?.settings = settings

            var businessWebhook: WireJSON = .null
            var businessToken: WireJSON = ""
            if isBusiness {
                guard JavaScript.isTruthy(number) else { throw APIFailure.badRequest("number is required") }
                businessWebhook = .string("\(serverURL)/webhook/whatsapp/\(PercentDecoding.encodeComponent(name))")
                businessToken = "evolution"
            }
            var integrationRecord = WireObject()
            integrationRecord["integration"] = integration
            integrationRecord["number"] = number
            integrationRecord["token"] = token
            instances[name]?.v1Integration = integrationRecord

            var instanceBlock = WireObject()
            instanceBlock["instanceName"] = .string(name)
            instanceBlock["instanceId"] = .string(instance.id)
            instanceBlock["integration"] = integration
            instanceBlock["webhook_wa_business"] = businessWebhook
            instanceBlock["access_token_wa_business"] = businessToken
            instanceBlock["status"] = "created"
            var webhookBlock = WireObject()
            webhookBlock["webhook"] = body["webhook"]
            webhookBlock["webhook_by_events"] = body["webhook_by_events"]
            webhookBlock["webhook_base64"] = body["webhook_base64"]
            webhookBlock["events"] = webhookEvents
            var typebot = WireObject([("enabled", .bool(JavaScript.isTruthy(body["typebot_url"])))])
            for (key, field) in [
                ("url", "typebot_url"), ("typebot", "typebot"), ("expire", "typebot_expire"),
                ("keyword_finish", "typebot_keyword_finish"), ("delay_message", "typebot_delay_message"),
                ("unknown_message", "typebot_unknown_message"), ("listening_from_me", "typebot_listening_from_me"),
            ] {
                typebot[key] = body[field]
            }
            var result = WireObject()
            result["instance"] = .object(instanceBlock)
            result["hash"] = ["apikey": .string(hash)]
            result["webhook"] = .object(webhookBlock)
            result["websocket"] = sinkEcho(enabled: body["websocket_enabled"], events: body["websocket_events"])
            result["rabbitmq"] = sinkEcho(enabled: body["rabbitmq_enabled"], events: body["rabbitmq_events"])
            result["sqs"] = sinkEcho(enabled: body["sqs_enabled"], events: body["sqs_events"])
            result["typebot"] = .object(typebot)
            result["settings"] = .object(settings)

            let accountId = body["chatwoot_account_id"]
            let chatwootToken = body["chatwoot_token"]
            let chatwootURL = body["chatwoot_url"]
            guard JavaScript.isTruthy(accountId), JavaScript.isTruthy(chatwootToken), JavaScript.isTruthy(chatwootURL) else {
                var hold = 0
                if JavaScript.isTruthy(body["qrcode"]) && !isBusiness {
                    result["qrcode"] = startOrRefreshPairing(name, number: number?.stringValue)
                    hold = configuration.qrDelayMilliseconds
                }
                return APIOutcome(status: 201, body: .object(result), holdMilliseconds: hold)
            }
            guard JavaScript.isURL(chatwootURL) else { throw APIFailure.badRequest("Invalid \"url\" property in chatwoot") }
            guard body["chatwoot_sign_msg"]?.boolValue != nil else { throw APIFailure.badRequest("sign_msg is required") }
            guard body["chatwoot_reopen_conversation"]?.boolValue != nil else {
                throw APIFailure.badRequest("reopen_conversation is required")
            }
            guard body["chatwoot_conversation_pending"]?.boolValue != nil else {
                throw APIFailure.badRequest("conversation_pending is required")
            }
            var chatwoot = WireObject()
            chatwoot["enabled"] = true
            chatwoot["account_id"] = accountId
            chatwoot["token"] = chatwootToken
            chatwoot["url"] = chatwootURL
            chatwoot["sign_msg"] = JavaScript.or(body["chatwoot_sign_msg"], false)
            chatwoot["name_inbox"] = JavaScript.coalesce(
                body["chatwoot_name_inbox"], .string(String(name.components(separatedBy: "-cwId-")[0])))
            chatwoot["number"] = number
            chatwoot["reopen_conversation"] = JavaScript.or(body["chatwoot_reopen_conversation"], false)
            chatwoot["conversation_pending"] = JavaScript.or(body["chatwoot_conversation_pending"], false)
            chatwoot["import_contacts"] = JavaScript.coalesce(body["chatwoot_import_contacts"], true)
            chatwoot["merge_brazil_contacts"] = JavaScript.coalesce(body["chatwoot_merge_brazil_contacts"], false)
            chatwoot["import_messages"] = JavaScript.coalesce(body["chatwoot_import_messages"], true)
            chatwoot["days_limit_import_messages"] = JavaScript.coalesce(body["chatwoot_days_limit_import_messages"], 60)
            chatwoot["auto_create"] = true
            instances[name]?.chatwoot = chatwoot
            instances[name]?.chatwootBootstraps += 1

            var chatwootBlock = WireObject()
            chatwootBlock["enabled"] = true
            chatwootBlock["account_id"] = accountId
            chatwootBlock["token"] = chatwootToken
            chatwootBlock["url"] = chatwootURL
            chatwootBlock["sign_msg"] = chatwoot["sign_msg"]
            chatwootBlock["reopen_conversation"] = chatwoot["reopen_conversation"]
            chatwootBlock["conversation_pending"] = chatwoot["conversation_pending"]
            chatwootBlock["merge_brazil_contacts"] = chatwoot["merge_brazil_contacts"]
            chatwootBlock["import_contacts"] = chatwoot["import_contacts"]
            chatwootBlock["import_messages"] = chatwoot["import_messages"]
            chatwootBlock["days_limit_import_messages"] = JavaScript.or(body["chatwoot_days_limit_import_messages"], 60)
            chatwootBlock["number"] = number
            chatwootBlock["name_inbox"] = JavaScript.coalesce(body["chatwoot_name_inbox"], .string(name))
            chatwootBlock["webhook_url"] = .string(chatwootWebhookURL(name))
            result["chatwoot"] = .object(chatwootBlock)
            return APIOutcome(status: 201, body: .object(result))
        } catch let failure as APIFailure {
            // The create handler re-throws every error as a 400 with its first message.
            let first: String
            switch failure.message {
            case .array(let messages): first = messages.first.map { JavaScript.string($0) } ?? ""
            case .string(let text): first = String(text.prefix(1))
            default: first = ""
            }
            throw APIFailure.badRequest(first)
        }
    }

    private func sinkEcho(enabled: WireJSON?, events: WireJSON?) -> WireJSON {
        var object = WireObject()
        object["enabled"] = enabled
        if JavaScript.isTruthy(enabled), let events {
            object["events"] = events.arrayValue?.isEmpty == true ? .array(WireSchemas.v1Events.map { .string($0) }) : events
        }
        return .object(object)
    }

    // MARK: fetchInstances

    func v1FetchInstances(_ context: RequestContext) throws -> APIOutcome {
        let request = context.request
        var name = request.query("instanceName").flatMap { $0.isEmpty ? nil : $0 }
        var arrayReturn = false
        if context.apiKey != configuration.apiKey {
            guard let owner = orderedInstances.first(where: { $0.token == context.apiKey }) else {
                throw APIFailure.unauthorized
            }
            name = owner.name
            arrayReturn = true
        }
        if let name {
            guard instances[name] != nil else { throw APIFailure.notFound("Instance \"\(name)\" not found") }
            let element = v1InstanceInfo(instances[name]!)
            return APIOutcome(status: 200, body: arrayReturn ? [element] : element)
        }
        if let id = request.query("instanceId").flatMap({ $0.isEmpty ? nil : $0 }) {
            guard configuration.v1Storage == .mongo, let instance = orderedInstances.first(where: { $0.id == id }) else {
                throw APIFailure.notFound("Instance \"\(id)\" not found")
            }
            return APIOutcome(status: 200, body: v1InstanceInfo(instance))
        }
        if let number = request.query("number").flatMap({ $0.isEmpty ? nil : $0 }) {
            guard configuration.v1Storage == .mongo, let instance = orderedInstances.first(where: { $0.number == number })
            else {
                throw APIFailure.notFound("Instance \"\(number)\" not found")
            }
            return APIOutcome(status: 200, body: v1InstanceInfo(instance))
        }
        return APIOutcome(status: 200, body: .array(orderedInstances.map(v1InstanceInfo)))
    }

    /// `WAMonitoringService.instanceInfo` element, with EXPOSE_IN_FETCH_INSTANCES=true.
    func v1InstanceInfo(_ instance: SimulatedInstance) -> WireJSON {
        var info = WireObject()
        info["instanceName"] = .string(instance.name)
        info["instanceId"] = .string(instance.id)
        if instance.state == .open {
            info["owner"] = .string(instance.ownerJid ?? "")
            info["profileName"] = .string(instance.profileName ?? "not loaded")
            info["profileStatus"] = ""
        }
        info["status"] = .string(instance.state.rawValue)
        info["serverUrl"] = .string(serverURL)
        info["apikey"] = .string(instance.token)
        if let chatwoot = v1ChatwootFindShape(instance), chatwoot["enabled"]?.isTruthy == true {
            var block = chatwoot
            block["webhook_url"] = .string(chatwootWebhookURL(instance.name))
            info["chatwoot"] = .object(block)
        }
        var integration = instance.v1Integration
            ?? WireObject([("integration", "WHATSAPP-BAILEYS"), ("number", ""), ("token", "")])
        integration["webhook_wa_business"] = .string("\(serverURL)/webhook/whatsapp/\(PercentDecoding.encodeComponent(instance.name))")
        info["integration"] = .object(integration)
        return ["instance": .object(info)]
    }

    // MARK: connect

    func v1Connect(_ context: RequestContext) -> APIOutcome {
        let name = context.instanceName
        guard let instance = instances[name] else { return APIOutcome(status: 200, body: nil) }
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

    // MARK: delete

    func v1Delete(_ context: RequestContext) throws -> APIOutcome {
        let name = context.instanceName
        if instances[name]?.state == .open {
            throw APIFailure.badRequest("The \"\(name)\" instance needs to be disconnected")
        }
        remove(name)
        return APIOutcome(status: 200, body: Self.deletedBody)
    }

    // MARK: webhook

    func v1SetWebhook(_ context: RequestContext) throws -> APIOutcome {
        var data = context.body
        try validate(data, WireSchemas.v1Webhook)
        guard JavaScript.isURL(data["url"]) else { throw APIFailure.badRequest("Invalid \"url\" property") }
        data["enabled"] = JavaScript.coalesce(data["enabled"], true)
        if !JavaScript.isTruthy(data["enabled"]) {
            data["url"] = ""
            data["events"] = []
        } else {
            guard let events = data["events"] else { throw APIFailure.javaScriptError(APIFailure.missingEventsMessage) }
            if let list = events.arrayValue, list.isEmpty {
                data["events"] = .array(WireSchemas.v1Events.map { .string($0) })
            } else if case .string(let text) = events, text.isEmpty {
                data["events"] = .array(WireSchemas.v1Events.map { .string($0) })
            }
        }
        instances[context.instanceName]?.webhook = data
        var echo = instanceEcho(context)
        echo["webhook"] = .object(data)
        return APIOutcome(status: 201, body: ["webhook": .object(echo)])
    }

    func v1FindWebhook(_ context: RequestContext) -> APIOutcome {
        guard let stored = instances[context.instanceName]?.webhook else {
            switch configuration.v1Storage {
            case .mongo:
                return APIOutcome(
                    status: 200,
                    body: ["enabled": false, "url": "", "events": [], "webhook_by_events": false, "webhook_base64": false])
            case .files:
                return APIOutcome(status: 200, body: [:])
            }
        }
        var shape = WireObject()
        for key in ["enabled", "url", "events", "webhook_by_events", "webhook_base64"] { shape[key] = stored[key] }
        return APIOutcome(status: 200, body: .object(shape))
    }

    // MARK: settings

    func v1SetSettings(_ context: RequestContext) throws -> APIOutcome {
        let data = context.body
        try validate(data, WireSchemas.v1Settings)
        instances[context.instanceName]?.settings = data
        var echo = instanceEcho(context)
        echo["settings"] = .object(data)
        return APIOutcome(status: 201, body: ["settings": .object(echo)])
    }

    func v1FindSettings(_ context: RequestContext) -> APIOutcome {
        guard let stored = instances[context.instanceName]?.settings else {
            switch configuration.v1Storage {
            case .mongo: return APIOutcome(status: 200, body: ["reject_call": false, "msg_call": "", "groups_ignore": true])
            case .files: return APIOutcome(status: 200, body: [:])
            }
        }
        var shape = WireObject()
        for key in ["reject_call", "msg_call", "groups_ignore", "always_online", "read_messages", "read_status", "sync_full_history"] {
            shape[key] = stored[key]
        }
        return APIOutcome(status: 200, body: .object(shape))
    }

    // MARK: chatwoot

    func v1SetChatwoot(_ context: RequestContext) throws -> APIOutcome {
        var data = context.body
        try validate(data, WireSchemas.v1Chatwoot)
        if JavaScript.isTruthy(data["enabled"]) {
            guard JavaScript.isURL(data["url"]) else { throw APIFailure.badRequest("url is not valid") }
            guard JavaScript.isTruthy(data["account_id"]) else { throw APIFailure.badRequest("account_id is required") }
            guard JavaScript.isTruthy(data["token"]) else { throw APIFailure.badRequest("token is required") }
            guard data["sign_msg"]?.boolValue != nil else { throw APIFailure.badRequest("sign_msg is required") }
            if data["sign_msg"] == .bool(false) { data["sign_delimiter"] = .null }
        } else {
            data["account_id"] = ""
            data["token"] = ""
            data["url"] = ""
            data["sign_msg"] = false
            data["sign_delimiter"] = .null
            data["reopen_conversation"] = false
            data["conversation_pending"] = false
            data["import_contacts"] = false
            data["import_messages"] = false
            data["merge_brazil_contacts"] = false
            data["days_limit_import_messages"] = 0
            data["auto_create"] = false
            data["name_inbox"] = ""
        }
        if !JavaScript.isTruthy(data["name_inbox"]) { data["name_inbox"] = .string(context.instanceName) }
        instances[context.instanceName]?.chatwoot = data
        if data["enabled"] == .bool(true), data["auto_create"] == .bool(true) {
            instances[context.instanceName]?.chatwootBootstraps += 1
        }
        var response = data
        response["webhook_url"] = .string(chatwootWebhookURL(context.instanceName))
        return APIOutcome(status: 201, body: .object(response))
    }

    func v1FindChatwoot(_ context: RequestContext) -> APIOutcome {
        guard let instance = instances[context.instanceName], var shape = v1ChatwootFindShape(instance) else {
            return APIOutcome(
                status: 200,
                body: [
                    "enabled": false, "url": "", "account_id": "", "token": "", "sign_msg": false, "name_inbox": "",
                    "webhook_url": "",
                ])
        }
        shape["webhook_url"] = .string(chatwootWebhookURL(context.instanceName))
        return APIOutcome(status: 200, body: .object(shape))
    }

    /// `ChannelStartupService.findChatwoot` (1.8.2): the stored fields, `sign_delimiter || null`.
    /// Nil when nothing is stored in Mongo mode; file mode reads an empty document instead.
    func v1ChatwootFindShape(_ instance: SimulatedInstance) -> WireObject? {
        let stored: WireObject
        if let chatwoot = instance.chatwoot {
            stored = chatwoot
        } else if configuration.v1Storage == .files {
            stored = WireObject()
        } else {
            return nil
        }
        var shape = WireObject()
        for key in ["enabled", "account_id", "token", "url", "name_inbox", "sign_msg"] { shape[key] = stored[key] }
        shape["sign_delimiter"] = JavaScript.or(stored["sign_delimiter"], .null)
        for key in [
            "reopen_conversation", "conversation_pending", "merge_brazil_contacts", "import_contacts", "import_messages",
            "days_limit_import_messages",
        ] {
            shape[key] = stored[key]
        }
        return shape
    }
}
