import Foundation
import Testing

@testable import EvolutionSimulator

/// Evolution API 2.3.6 as `REFERENCE.md` and `EXAMPLES.md` (part B) describe it,
/// `CHATWOOT_ENABLED=true`.
@Suite("v2 (2.3.6) conformance")
struct V2ConformanceTests {
    let configuration = SimulatorConfiguration(apiVersion: .v2)
    static let allEvents =
        "APPLICATION_STARTUP,QRCODE_UPDATED,MESSAGES_SET,MESSAGES_UPSERT,MESSAGES_EDITED,MESSAGES_UPDATE,MESSAGES_DELETE,SEND_MESSAGE,SEND_MESSAGE_UPDATE,CONTACTS_SET,CONTACTS_UPSERT,CONTACTS_UPDATE,PRESENCE_UPDATE,CHATS_SET,CHATS_UPSERT,CHATS_UPDATE,CHATS_DELETE,GROUPS_UPSERT,GROUP_UPDATE,GROUP_PARTICIPANTS_UPDATE,CONNECTION_UPDATE,LABELS_EDIT,LABELS_ASSOCIATION,CALL,TYPEBOT_START,TYPEBOT_CHANGE_STATUS,REMOVE_INSTANCE,LOGOUT_INSTANCE,INSTANCE_CREATE,INSTANCE_DELETE,STATUS_INSTANCE"

    static func allEventsJSON() -> WireJSON { .array(allEvents.split(separator: ",").map { .string(String($0)) }) }

    static let defaultSettings =
        #"{"rejectCall":false,"msgCall":"","groupsIgnore":false,"alwaysOnline":false,"readMessages":false,"readStatus":false,"syncFullHistory":false,"wavoipToken":""}"#

    @Test("GET / identifies 2.3.6")
    func root() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call("GET", "/", apiKey: .some(nil))
            #expect(
                response.json
                    == json(
                        #"{"status":200,"message":"Welcome to the Evolution API, it is working!","version":"2.3.6","clientName":"evolution","manager":"http://127.0.0.1/manager","documentation":"https://doc.evolution-api.com","whatsappWebVersion":"2.3000.1027934751"}"#
                    ))
        }
    }

    @Test("POST /verify-creds accepts the global key only")
    func verifyCredentials() async throws {
        try await withSimulator(configuration) { _, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS","token":"t-a"}"#)
            #expect(try await client.call("POST", "/verify-creds").json == json(#"{"status":200,"message":"Credentials are valid"}"#))
            #expect(try await client.call("POST", "/verify-creds", apiKey: "t-a").status == 401)
        }
    }

    @Test("minimal create answers B3: hash is a string, status close")
    func createMinimal() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"sales-bot","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(response.status == 201)
            let hash = response.json?["hash"]?.stringValue
            #expect(isUpperCaseUUID(hash))
            #expect(
                masked(response.json)
                    == json(
                        """
                        {"instance":{"instanceName":"sales-bot","instanceId":"<volatile>","integration":"WHATSAPP-BAILEYS","webhookWaBusiness":null,"accessTokenWaBusiness":"","status":"close"},
                         "hash":"\(hash ?? "")","webhook":{},"websocket":{},"rabbitmq":{},"nats":{},"sqs":{},"settings":\(Self.defaultSettings)}
                        """))
        }
    }

    @Test("create with token, webhook and settings answers B4; the stored webhook is enabled with its events")
    func createWithWebhook() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call(
                "POST", "/instance/create",
                json: """
                    {"instanceName":"sales-bot","integration":"WHATSAPP-BAILEYS","token":"sales-bot-token-0001","groupsIgnore":true,
                     "rejectCall":true,"msgCall":"Calls are not answered here.",
                     "webhook":{"url":"https://hooks.example.com/evolution","byEvents":false,"base64":true,"enabled":false,
                                "headers":{"authorization":"Bearer hook-secret"},"events":["MESSAGES_UPSERT","CONNECTION_UPDATE","QRCODE_UPDATED"]}}
                    """)
            #expect(response.status == 201)
            #expect(
                masked(response.json)
                    == json(
                        """
                        {"instance":{"instanceName":"sales-bot","instanceId":"<volatile>","integration":"WHATSAPP-BAILEYS","webhookWaBusiness":null,"accessTokenWaBusiness":"","status":"close"},
                         "hash":"sales-bot-token-0001",
                         "webhook":{"webhookUrl":"https://hooks.example.com/evolution","webhookHeaders":{"authorization":"Bearer hook-secret"},"webhookByEvents":false,"webhookBase64":true},
                         "websocket":{},"rabbitmq":{},"nats":{},"sqs":{},
                         "settings":{"rejectCall":true,"msgCall":"Calls are not answered here.","groupsIgnore":true,"alwaysOnline":false,"readMessages":false,"readStatus":false,"syncFullHistory":false,"wavoipToken":""}}
                        """))
            let hook = try await client.call("GET", "/webhook/find/sales-bot")
            #expect(
                masked(hook.json)
                    == json(
                        """
                        {"id":"<volatile>","url":"https://hooks.example.com/evolution","headers":{"authorization":"Bearer hook-secret"},"enabled":true,
                         "events":["MESSAGES_UPSERT","CONNECTION_UPDATE","QRCODE_UPDATED"],"webhookByEvents":false,"webhookBase64":true,
                         "createdAt":"<volatile>","updatedAt":"<volatile>","instanceId":"<volatile>"}
                        """))
        }
    }

    @Test("create with Chatwoot answers B5; find shows the stored record")
    func createWithChatwoot() async throws {
        try await withSimulator(configuration) { simulator, client in
            let response = try await client.call(
                "POST", "/instance/create",
                json: """
                    {"instanceName":"support","integration":"WHATSAPP-BAILEYS","chatwootAccountId":"3","chatwootToken":"cw-user-token",
                     "chatwootUrl":"https://chatwoot.example.com","chatwootSignMsg":true,"chatwootReopenConversation":true,
                     "chatwootConversationPending":false,"chatwootNameInbox":"Support WA"}
                    """)
            #expect(response.status == 201)
            let url = "\(simulator.baseURL)/chatwoot/webhook/support"
            #expect(
                response.json?["chatwoot"]
                    == json(
                        """
                        {"enabled":true,"accountId":"3","token":"cw-user-token","url":"https://chatwoot.example.com","signMsg":true,
                         "reopenConversation":true,"conversationPending":false,"mergeBrazilContacts":false,"importContacts":true,
                         "importMessages":true,"daysLimitImportMessages":60,"nameInbox":"Support WA","webhookUrl":"\(url)"}
                        """))
            #expect(
                try await client.call("GET", "/chatwoot/find/support").json
                    == json(
                        """
                        {"enabled":true,"accountId":"3","token":"cw-user-token","url":"https://chatwoot.example.com","nameInbox":"Support WA",
                         "signMsg":true,"signDelimiter":null,"reopenConversation":true,"conversationPending":false,"mergeBrazilContacts":false,
                         "importContacts":true,"importMessages":true,"daysLimitImportMessages":60,"organization":null,"logo":null,
                         "ignoreJids":[],"webhook_url":"\(url)"}
                        """))
        }
    }

    @Test("create with qrcode true answers B6 with status connecting and a real PNG")
    func createWithQRCode() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"qr-demo","integration":"WHATSAPP-BAILEYS","qrcode":true}"#)
            #expect(response.json?["instance"]?["status"] == "connecting")
            let qr = try #require(response.json?["qrcode"]?.objectValue)
            #expect(qr.keys == ["pairingCode", "code", "base64", "count"])
            #expect(qr["count"] == 1)
            let base64 = try #require(qr["base64"]?.stringValue?.split(separator: ",").last)
            #expect(PNGInspector.isValid(Array(Data(base64Encoded: String(base64)) ?? Data())))
        }
    }

    @Test("create errors answer B7 and roll the instance back")
    func createErrors() async throws {
        try await withSimulator(configuration) { simulator, client in
            for body in [#"{"instanceName":"a"}"#, #"{"instanceName":"a","integration":"WHATSAPP"}"#] {
                let response = try await client.call("POST", "/instance/create", json: body)
                #expect(response.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["Invalid integration"]}}"#))
            }
            let noEvents = try await client.call(
                "POST", "/instance/create",
                json: #"{"instanceName":"b","integration":"WHATSAPP-BAILEYS","webhook":{"url":"https://h.example.com"}}"#)
            #expect(
                noEvents.json
                    == json(#"{"status":400,"error":"Bad Request","response":{"message":["Cannot read properties of undefined (reading 'length')"]}}"#))
            let numericAccount = try await client.call(
                "POST", "/instance/create",
                json: #"{"instanceName":"c","integration":"WHATSAPP-BAILEYS","chatwootAccountId":3,"chatwootToken":"t","chatwootUrl":"https://c.example.com"}"#)
            #expect(numericAccount.json?.envelopeMessage == json(#"["chatwootAccountId is not of a type(s) string"]"#))
            let badNumber = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"d","integration":"WHATSAPP-BAILEYS","number":"+55"}"#)
            #expect(badNumber.json?.envelopeMessage == json(#"["number does not match pattern \"^\\\\d+[\\\\.@\\\\w-]+\""]"#))
            let businessNoToken = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"e","integration":"WHATSAPP-BUSINESS"}"#)
            #expect(businessNoToken.json?.envelopeMessage == json(#"["token is required"]"#))
            let businessNoNumber = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"f","integration":"WHATSAPP-BUSINESS","token":"t-f"}"#)
            #expect(businessNoNumber.json?.envelopeMessage == json(#"["number is required"]"#))
            let chatwootFlags = try await client.call(
                "POST", "/instance/create",
                json: #"{"instanceName":"g","integration":"WHATSAPP-BAILEYS","chatwootAccountId":"3","chatwootToken":"t","chatwootUrl":"https://c.example.com"}"#)
            #expect(chatwootFlags.json?.envelopeMessage == json(#"["signMsg is required"]"#))
            let emptyName = try await client.call("POST", "/instance/create", json: #"{"instanceName":""}"#)
            #expect(emptyName.json?.envelopeMessage == json(#"["The \"instanceName\" cannot be empty"]"#))
            #expect(await simulator.instanceNames().isEmpty)
        }
    }

    @Test("a rolled-back create lingers for the delete lag")
    func rollbackLag() async throws {
        var lagging = configuration
        lagging.deleteLagMilliseconds = 60_000
        try await withSimulator(lagging) { simulator, client in
            let failed = try await client.call(
                "POST", "/instance/create",
                json: #"{"instanceName":"b","integration":"WHATSAPP-BAILEYS","webhook":{"url":"https://h.example.com"}}"#)
            #expect(failed.status == 400)
            #expect(await simulator.instanceNames() == ["b"])
            let retry = try await client.call("POST", "/instance/create", json: #"{"instanceName":"b","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(retry.json == json(#"{"status":403,"error":"Forbidden","response":{"message":["This name \"b\" is already in use."]}}"#))
        }
    }

    @Test("tokens may repeat; a token sees every instance that carries it")
    func duplicateTokens() async throws {
        try await withSimulator(configuration) { _, client in
            for name in ["a", "b"] {
                let created = try await client.call(
                    "POST", "/instance/create", json: #"{"instanceName":"\#(name)","integration":"WHATSAPP-BAILEYS","token":"shared"}"#)
                #expect(created.status == 201)
            }
            let seen = try await client.call("GET", "/instance/fetchInstances", apiKey: "shared")
            #expect(seen.json?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a", "b"])
            let filtered = try await client.call("GET", "/instance/fetchInstances?instanceName=b", apiKey: "shared")
            #expect(filtered.json?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["b"])
            #expect(try await client.call("GET", "/instance/fetchInstances", apiKey: "nobody").status == 401)
        }
    }

    @Test("fetchInstances answers B8 rows with Setting and Chatwoot relations, no webhook")
    func fetchInstances() async throws {
        try await withSimulator(configuration) { simulator, client in
            #expect(try await client.call("GET", "/instance/fetchInstances").json == [])
            _ = try await client.call(
                "POST", "/instance/create",
                json: #"{"instanceName":"sales-bot","integration":"WHATSAPP-BAILEYS","token":"sales-bot-token-0001","rejectCall":true,"msgCall":"Calls are not answered here.","groupsIgnore":true,"webhook":{"url":"https://h.example.com","events":[]}}"#
            )
            try await simulator.setConnectionState("open", of: "sales-bot")
            let response = try await client.call("GET", "/instance/fetchInstances?instanceName=sales-bot")
            let row = try #require(response.json?.arrayValue?.first)
            #expect(row["ownerJid"]?.stringValue?.hasSuffix("@s.whatsapp.net") == true)
            var comparable = row.objectValue!
            comparable["ownerJid"] = "<owner>"
            comparable["profileName"] = "<profile>"
            #expect(
                masked(.object(comparable))
                    == json(
                        """
                        {"id":"<volatile>","name":"sales-bot","connectionStatus":"open","ownerJid":"<owner>","profileName":"<profile>",
                         "profilePicUrl":null,"integration":"WHATSAPP-BAILEYS","number":null,"businessId":null,"token":"sales-bot-token-0001",
                         "clientName":"evolution","disconnectionReasonCode":null,"disconnectionObject":null,"disconnectionAt":null,
                         "createdAt":"<volatile>","updatedAt":"<volatile>","Chatwoot":null,"Proxy":null,"Rabbitmq":null,"Nats":null,"Sqs":null,
                         "Websocket":null,
                         "Setting":{"id":"<volatile>","rejectCall":true,"msgCall":"Calls are not answered here.","groupsIgnore":true,
                                    "alwaysOnline":false,"readMessages":false,"readStatus":false,"syncFullHistory":false,"wavoipToken":"",
                                    "createdAt":"<volatile>","updatedAt":"<volatile>","instanceId":"<volatile>"},
                         "_count":{"Message":0,"Contact":0,"Chat":0}}
                        """))
            let unknown = try await client.call("GET", "/instance/fetchInstances?instanceName=nope")
            #expect(unknown.json == json(#"{"status":404,"error":"Not Found","response":{"message":["Instance \"nope\" not found"]}}"#))
        }
    }

    @Test("lifecycle answers B12: restart verbs, logout, delete with automatic logout")
    func lifecycle() async throws {
        try await withSimulator(configuration) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"support","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(try await client.call("POST", "/instance/restart/support").json == json(#"{"error":true,"message":"[object Object]"}"#))
            let put = try await client.call("PUT", "/instance/restart/support")
            #expect(put.json == json(#"{"status":404,"error":"Not Found","response":{"message":["Cannot PUT /instance/restart/support"]}}"#))
            let logout = try await client.call("DELETE", "/instance/logout/support")
            #expect(logout.json?.envelopeMessage == json(#"["The \"support\" instance is not connected"]"#))
            let connect = try await client.call("GET", "/instance/connect/support")
            #expect(connect.json?["count"] == 1)
            #expect(try await client.call("POST", "/instance/restart/support").json?["count"] == 2)
            try await simulator.setConnectionState("open", of: "support")
            #expect(try await client.call("POST", "/instance/restart/support").json == json(#"{"instance":{"instanceName":"support","state":"open"}}"#))
            let deleted = try await client.call("DELETE", "/instance/delete/support")
            #expect(deleted.json == json(#"{"status":"SUCCESS","error":false,"response":{"message":"Instance deleted"}}"#))
            #expect(await simulator.instanceNames().isEmpty)
        }
    }

    @Test("delete completes in the background: listed and name taken during the lag, gone after")
    func deleteLag() async throws {
        var lagging = configuration
        lagging.deleteLagMilliseconds = 60_000
        try await withSimulator(lagging) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#)
            try await simulator.setConnectionState("open", of: "a")
            #expect(try await client.call("DELETE", "/instance/delete/a").status == 200)
            #expect(try await client.call("GET", "/instance/fetchInstances").json?.arrayValue?.count == 1)
            #expect(try await client.call("GET", "/instance/connectionState/a").json?["instance"]?["state"] == "close")
            #expect(try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#).status == 403)
        }
        lagging.deleteLagMilliseconds = 50
        try await withSimulator(lagging) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(try await client.call("DELETE", "/instance/delete/a").status == 200)
            var created = 0
            for _ in 0..<500 where created != 201 {
                created = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#).status
                if created != 201 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(created == 201)
            #expect(await simulator.instanceNames() == ["a"])
        }
    }

    @Test("webhook set answers B9; disable keeps the url; omitted fields keep their values")
    func webhook() async throws {
        try await withSimulator(configuration) { _, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"sales-bot","integration":"WHATSAPP-BAILEYS","token":"tok"}"#)
            #expect(try await client.call("GET", "/webhook/find/sales-bot").text == "null")
            let set = try await client.call(
                "POST", "/webhook/set/sales-bot",
                json: #"{"webhook":{"enabled":true,"url":"https://hooks.example.com/evolution","headers":{"authorization":"Bearer hook-secret"},"byEvents":false,"base64":true,"events":["MESSAGES_UPSERT","CONNECTION_UPDATE"]}}"#,
                apiKey: "tok")
            #expect(set.status == 201)
            let expected = json(
                """
                {"id":"<volatile>","url":"https://hooks.example.com/evolution","headers":{"authorization":"Bearer hook-secret"},"enabled":true,
                 "events":["MESSAGES_UPSERT","CONNECTION_UPDATE"],"webhookByEvents":false,"webhookBase64":true,
                 "createdAt":"<volatile>","updatedAt":"<volatile>","instanceId":"<volatile>"}
                """)
            #expect(masked(set.json) == expected)
            #expect(masked(try await client.call("GET", "/webhook/find/sales-bot").json) == expected)
            let disable = try await client.call(
                "POST", "/webhook/set/sales-bot", json: #"{"webhook":{"enabled":false,"url":"https://hooks.example.com/evolution"}}"#)
            #expect(disable.json?["enabled"] == false)
            #expect(disable.json?["events"] == [])
            #expect(disable.json?["url"] == "https://hooks.example.com/evolution")
            #expect(disable.json?["headers"] == json(#"{"authorization":"Bearer hook-secret"}"#))
            #expect(disable.json?["webhookBase64"] == true)
            let all = try await client.call("POST", "/webhook/set/sales-bot", json: #"{"webhook":{"enabled":true,"url":"https://h2.example.com","events":[]}}"#)
            #expect(all.json?["events"] == Self.allEventsJSON())
        }
    }

    @Test("webhook set errors answer B9")
    func webhookErrors() async throws {
        try await withSimulator(configuration) { _, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#)
            let flat = try await client.call("POST", "/webhook/set/a", json: #"{"enabled":true,"url":"https://h.example.com","events":[]}"#)
            #expect(flat.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["instance requires property \"webhook\""]}}"#))
            let noEnabled = try await client.call("POST", "/webhook/set/a", json: #"{"webhook":{"url":"https://h.example.com","events":[]}}"#)
            #expect(noEnabled.json?.envelopeMessage == json(#"["webhook requires property \"enabled\""]"#))
            let badEvent = try await client.call(
                "POST", "/webhook/set/a", json: #"{"webhook":{"enabled":true,"url":"https://h.example.com","events":["MESSAGE_UPSERT"]}}"#)
            #expect(badEvent.json?.envelopeMessage == json(#"["webhook.events[0] is not one of enum values: \#(Self.allEvents)"]"#))
            let noEvents = try await client.call("POST", "/webhook/set/a", json: #"{"webhook":{"enabled":true,"url":"https://h.example.com"}}"#)
            #expect(
                noEvents.json
                    == json(#"{"status":500,"error":"Internal Server Error","response":{"message":"Cannot read properties of undefined (reading 'length')"}}"#))
            let emptyURL = try await client.call("POST", "/webhook/set/a", json: #"{"webhook":{"enabled":true,"url":""}}"#)
            #expect(emptyURL.json?.envelopeMessage == json(#"["The \"url\" cannot be empty"]"#))
        }
    }

    @Test("Chatwoot set and find answer B10; unset shape; upsert; validation")
    func chatwoot() async throws {
        try await withSimulator(configuration) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"support","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(
                try await client.call("GET", "/chatwoot/find/support").json
                    == json(#"{"enabled":false,"url":"","accountId":"","token":"","signMsg":false,"nameInbox":"","webhook_url":""}"#))
            let url = "\(simulator.baseURL)/chatwoot/webhook/support"
            let body = """
                {"enabled":true,"accountId":"3","token":"cw-user-token","url":"https://chatwoot.example.com","signMsg":true,
                 "signDelimiter":"\\n","reopenConversation":true,"conversationPending":false,"nameInbox":"Support WA",
                 "mergeBrazilContacts":false,"importContacts":false,"importMessages":false,"daysLimitImportMessages":3,
                 "autoCreate":false,"ignoreJids":["@g.us"]}
                """
            let set = try await client.call("POST", "/chatwoot/set/support", json: body)
            #expect(set.status == 201)
            var expectedSet = json(body).objectValue!
            expectedSet["webhook_url"] = .string(url)
            #expect(set.json == .object(expectedSet))
            // The first write creates the row without the delimiter (setChatwoot's create branch).
            #expect(try await client.call("GET", "/chatwoot/find/support").json?["signDelimiter"] == .null)
            _ = try await client.call("POST", "/chatwoot/set/support", json: body)
            #expect(
                try await client.call("GET", "/chatwoot/find/support").json
                    == json(
                        """
                        {"enabled":true,"accountId":"3","token":"cw-user-token","url":"https://chatwoot.example.com","nameInbox":"Support WA",
                         "signMsg":true,"signDelimiter":"\\n","reopenConversation":true,"conversationPending":false,"mergeBrazilContacts":false,
                         "importContacts":false,"importMessages":false,"daysLimitImportMessages":3,"organization":null,"logo":null,
                         "ignoreJids":["@g.us"],"webhook_url":"\(url)"}
                        """))
            let disable = try await client.call(
                "POST", "/chatwoot/set/support",
                json: #"{"enabled":false,"accountId":"3","token":"cw-user-token","url":"https://chatwoot.example.com","signMsg":false,"reopenConversation":false,"conversationPending":false}"#)
            #expect(disable.status == 201)
            let afterDisable = try await client.call("GET", "/chatwoot/find/support").json
            #expect(afterDisable?["enabled"] == false)
            #expect(afterDisable?["token"] == "cw-user-token")
            #expect(afterDisable?["daysLimitImportMessages"] == 3)
            #expect(afterDisable?["ignoreJids"] == ["@g.us"])
            let emptyToken = try await client.call(
                "POST", "/chatwoot/set/support",
                json: #"{"enabled":true,"accountId":"3","token":"","url":"https://c.example.com","signMsg":true,"reopenConversation":true,"conversationPending":false}"#)
            #expect(emptyToken.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["The \"token\" cannot be empty"]}}"#))
            let numeric = try await client.call(
                "POST", "/chatwoot/set/support",
                json: #"{"enabled":true,"accountId":3,"token":"t","url":"https://c.example.com","signMsg":true,"reopenConversation":true,"conversationPending":false,"nameInbox":"x"}"#)
            #expect(numeric.json?.envelopeMessage == json(#"["accountId is not of a type(s) string"]"#))
            let badFlag = try await client.call(
                "POST", "/chatwoot/set/support",
                json: #"{"enabled":true,"accountId":"3","token":"t","url":"https://c.example.com","signMsg":"yes","reopenConversation":true,"conversationPending":false}"#)
            #expect(badFlag.json?.envelopeMessage == json(#"["signMsg is not of a type(s) boolean","signMsg is not one of enum values: true,false"]"#))
        }
    }

    @Test("settings set and find answer B11; omitted strings keep their values; validation")
    func settings() async throws {
        try await withSimulator(configuration) { _, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"sales-bot","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(try await client.call("GET", "/settings/find/sales-bot").json == json(Self.defaultSettings))
            let body = #"{"rejectCall":true,"msgCall":"No calls","groupsIgnore":true,"alwaysOnline":false,"readMessages":false,"readStatus":false,"syncFullHistory":false}"#
            let set = try await client.call("POST", "/settings/set/sales-bot", json: body)
            #expect(set.status == 201)
            #expect(set.json == json(#"{"settings":{"instanceName":"sales-bot","settings":\#(body)}}"#))
            let found = #"{"rejectCall":true,"msgCall":"No calls","groupsIgnore":true,"alwaysOnline":false,"readMessages":false,"readStatus":false,"syncFullHistory":false,"wavoipToken":""}"#
            #expect(try await client.call("GET", "/settings/find/sales-bot").json == json(found))
            _ = try await client.call(
                "POST", "/settings/set/sales-bot",
                json: #"{"rejectCall":true,"groupsIgnore":true,"alwaysOnline":false,"readMessages":false,"readStatus":false,"syncFullHistory":false}"#)
            #expect(try await client.call("GET", "/settings/find/sales-bot").json?["msgCall"] == "No calls")
            let missing = try await client.call("POST", "/settings/set/sales-bot", json: #"{"rejectCall":true}"#)
            #expect(
                missing.json?.envelopeMessage
                    == json(
                        #"["instance requires property \"groupsIgnore\"","instance requires property \"alwaysOnline\"","instance requires property \"readMessages\"","instance requires property \"readStatus\"","instance requires property \"syncFullHistory\""]"#
                    ))
            let wrongType = try await client.call(
                "POST", "/settings/set/sales-bot",
                json: #"{"rejectCall":"yes","groupsIgnore":true,"alwaysOnline":false,"readMessages":false,"readStatus":false,"syncFullHistory":false}"#)
            #expect(wrongType.json?.envelopeMessage == json(#"["rejectCall is not of a type(s) boolean"]"#))
        }
    }

    @Test("malformed JSON answers the V8 message with line and column")
    func malformedBody() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call("POST", "/instance/create", json: "{instanceName")
            #expect(
                response.json
                    == json(
                        #"{"status":400,"error":"Internal Server Error","response":{"message":"Expected property name or '}' in JSON at position 1 (line 1 column 2)"}}"#
                    ))
        }
    }
}
