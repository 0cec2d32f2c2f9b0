import Foundation
import Testing

@testable import EvolutionSimulator

/// Evolution API 1.8.2 as `REFERENCE.md` and `EXAMPLES.md` (part A) describe it, MongoDB mode.
@Suite("v1 (1.8.2) conformance")
struct V1ConformanceTests {
    let configuration = SimulatorConfiguration(apiVersion: .v1)
    static let allEvents =
        "APPLICATION_STARTUP,QRCODE_UPDATED,MESSAGES_SET,MESSAGES_UPSERT,MESSAGES_UPDATE,MESSAGES_DELETE,SEND_MESSAGE,CONTACTS_SET,CONTACTS_UPSERT,CONTACTS_UPDATE,PRESENCE_UPDATE,CHATS_SET,CHATS_UPSERT,CHATS_UPDATE,CHATS_DELETE,GROUPS_UPSERT,GROUP_UPDATE,GROUP_PARTICIPANTS_UPDATE,CONNECTION_UPDATE,LABELS_EDIT,LABELS_ASSOCIATION,CALL,NEW_JWT_TOKEN,TYPEBOT_START,TYPEBOT_CHANGE_STATUS,CHAMA_AI_ACTION"

    static func allEventsJSON() -> WireJSON { .array(allEvents.split(separator: ",").map { .string(String($0)) }) }

    @Test("GET / identifies 1.8.2 without authentication")
    func root() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call("GET", "/", apiKey: .some(nil))
            #expect(response.status == 200)
            #expect(
                response.json
                    == json(
                        #"{"status":200,"message":"Welcome to the Evolution API, it is working!","version":"1.8.2","swagger":"http://127.0.0.1/docs","manager":"http://127.0.0.1/manager","documentation":"https://doc.evolution-api.com"}"#
                    ))
            #expect(response.header("WWW-Authenticate") == nil)
        }
    }

    @Test("minimal create answers A2 and stores groups_ignore true")
    func createMinimal() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call("POST", "/instance/create", json: #"{"instanceName":"sales-bot","groups_ignore":false}"#)
            #expect(response.status == 201)
            let hash = response.json?["hash"]?["apikey"]?.stringValue
            #expect(isUpperCaseUUID(hash))
            #expect(
                masked(response.json)
                    == json(
                        """
                        {"instance":{"instanceName":"sales-bot","instanceId":"<volatile>","webhook_wa_business":null,"access_token_wa_business":"","status":"created"},
                         "hash":{"apikey":"\(hash ?? "")"},"webhook":{},"websocket":{},"rabbitmq":{},"sqs":{},"typebot":{"enabled":false},
                         "settings":{"reject_call":false,"msg_call":"","groups_ignore":true,"always_online":false,"read_messages":false,"read_status":false,"sync_full_history":false}}
                        """))
            let settings = try await client.call("GET", "/settings/find/sales-bot")
            #expect(settings.json?["groups_ignore"] == true)
        }
    }

    @Test("create with token, integration and webhook answers A3")
    func createWithWebhook() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call(
                "POST", "/instance/create",
                json: """
                    {"instanceName":"sales-bot","token":"sales-bot-token-0001","integration":"WHATSAPP-BAILEYS",
                     "webhook":"https://hooks.example.com/evolution","webhook_by_events":false,"webhook_base64":false,
                     "events":["MESSAGES_UPSERT","CONNECTION_UPDATE","QRCODE_UPDATED"],
                     "reject_call":true,"msg_call":"Calls are not answered here."}
                    """)
            #expect(response.status == 201)
            #expect(
                masked(response.json)
                    == json(
                        """
                        {"instance":{"instanceName":"sales-bot","instanceId":"<volatile>","integration":"WHATSAPP-BAILEYS","webhook_wa_business":null,"access_token_wa_business":"","status":"created"},
                         "hash":{"apikey":"sales-bot-token-0001"},
                         "webhook":{"webhook":"https://hooks.example.com/evolution","webhook_by_events":false,"webhook_base64":false,"events":["MESSAGES_UPSERT","CONNECTION_UPDATE","QRCODE_UPDATED"]},
                         "websocket":{},"rabbitmq":{},"sqs":{},"typebot":{"enabled":false},
                         "settings":{"reject_call":true,"msg_call":"Calls are not answered here.","groups_ignore":true,"always_online":false,"read_messages":false,"read_status":false,"sync_full_history":false}}
                        """))
            let hook = try await client.call("GET", "/webhook/find/sales-bot")
            #expect(
                hook.json
                    == json(
                        #"{"enabled":true,"url":"https://hooks.example.com/evolution","events":["MESSAGES_UPSERT","CONNECTION_UPDATE","QRCODE_UPDATED"],"webhook_by_events":false,"webhook_base64":false}"#
                    ))
        }
    }

    @Test("create with a webhook but no events answers 201 and stores no webhook")
    func createWebhookWithoutEvents() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"x1","webhook":"https://h.example.com"}"#)
            #expect(response.status == 201)
            #expect(response.json?["webhook"] == json(#"{"webhook":"https://h.example.com"}"#))
            let hook = try await client.call("GET", "/webhook/find/x1")
            #expect(hook.json == json(#"{"enabled":false,"url":"","events":[],"webhook_by_events":false,"webhook_base64":false}"#))
        }
    }

    @Test("events [] at create stores all 26 events in reference order")
    func createAllEvents() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"x1","webhook":"https://h.example.com","events":[]}"#)
            #expect(response.json?["webhook"]?["events"] == Self.allEventsJSON())
            #expect(try await client.call("GET", "/webhook/find/x1").json?["events"] == Self.allEventsJSON())
        }
    }

    @Test("create with Chatwoot answers A4; find shows the stored record")
    func createWithChatwoot() async throws {
        try await withSimulator(configuration) { simulator, client in
            let response = try await client.call(
                "POST", "/instance/create",
                json: """
                    {"instanceName":"support","chatwoot_account_id":"3","chatwoot_token":"cw-user-token",
                     "chatwoot_url":"https://chatwoot.example.com","chatwoot_sign_msg":true,
                     "chatwoot_reopen_conversation":true,"chatwoot_conversation_pending":false}
                    """)
            #expect(response.status == 201)
            #expect(
                response.json?["chatwoot"]
                    == json(
                        """
                        {"enabled":true,"account_id":"3","token":"cw-user-token","url":"https://chatwoot.example.com","sign_msg":true,
                         "reopen_conversation":true,"conversation_pending":false,"merge_brazil_contacts":false,"import_contacts":true,
                         "import_messages":true,"days_limit_import_messages":60,"name_inbox":"support",
                         "webhook_url":"\(simulator.baseURL)/chatwoot/webhook/support"}
                        """))
            #expect(response.json?["qrcode"] == nil)
            let found = try await client.call("GET", "/chatwoot/find/support")
            #expect(
                found.json
                    == json(
                        """
                        {"enabled":true,"account_id":"3","token":"cw-user-token","url":"https://chatwoot.example.com","name_inbox":"support",
                         "sign_msg":true,"sign_delimiter":null,"reopen_conversation":true,"conversation_pending":false,
                         "merge_brazil_contacts":false,"import_contacts":true,"import_messages":true,"days_limit_import_messages":60,
                         "webhook_url":"\(simulator.baseURL)/chatwoot/webhook/support"}
                        """))
        }
    }

    @Test("create with qrcode true answers a QR object with a real PNG and starts pairing")
    func createWithQRCode() async throws {
        try await withSimulator(configuration) { simulator, client in
            let response = try await client.call("POST", "/instance/create", json: #"{"instanceName":"qr-demo","qrcode":true}"#)
            #expect(response.status == 201)
            let qr = try #require(response.json?["qrcode"]?.objectValue)
            #expect(qr.keys == ["pairingCode", "code", "base64", "count"])
            #expect(qr["pairingCode"] == .null)
            #expect(qr["count"] == 1)
            #expect(qr["code"]?.stringValue?.hasPrefix("2@") == true)
            let dataURL = try #require(qr["base64"]?.stringValue)
            #expect(dataURL.hasPrefix("data:image/png;base64,"))
            let png = try #require(Data(base64Encoded: String(dataURL.dropFirst("data:image/png;base64,".count))))
            #expect(PNGInspector.isValid(Array(png)))
            #expect(await simulator.connectionState(of: "qr-demo") == "connecting")
            #expect(response.json?["instance"]?["status"] == "created")
        }
    }

    @Test("a number gives an eight-character pairing code")
    func pairingCode() async throws {
        try await withSimulator(configuration) { _, client in
            let response = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"qr-demo","qrcode":true,"number":"5511999990000"}"#)
            #expect(response.json?["qrcode"]?["pairingCode"]?.stringValue?.count == 8)
        }
    }

    @Test("guards run in order: 404, then 403, then 401")
    func guardOrder() async throws {
        try await withSimulator(configuration) { _, client in
            #expect(try await client.call("POST", "/instance/create", json: #"{"instanceName":"taken"}"#).status == 201)
            let unknown = try await client.call("GET", "/instance/connectionState/ghost", apiKey: .some(nil))
            #expect(unknown.status == 404)
            #expect(
                unknown.json == json(#"{"status":404,"error":"Not Found","response":{"message":["The \"ghost\" instance does not exist"]}}"#))
            let taken = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"taken"}"#, apiKey: .some(nil))
            #expect(taken.status == 403)
            #expect(
                taken.json == json(#"{"status":403,"error":"Forbidden","response":{"message":["This name \"taken\" is already in use."]}}"#))
            for key in [nil, "wrong", ""] as [String?] {
                let unauthorized = try await client.call(
                    "POST", "/instance/create", json: #"{"instanceName":"free"}"#, apiKey: .some(key))
                #expect(unauthorized.status == 401)
                #expect(unauthorized.json == json(#"{"status":401,"error":"Unauthorized","response":{"message":"Unauthorized"}}"#))
                #expect(unauthorized.header("WWW-Authenticate") == nil)
            }
        }
    }

    @Test("an instance token works on its own routes only, never on create")
    func instanceTokens() async throws {
        try await withSimulator(configuration) { _, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","token":"token-a"}"#)
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"b","token":"token-b"}"#)
            #expect(try await client.call("GET", "/instance/connectionState/a", apiKey: "token-a").status == 200)
            #expect(try await client.call("GET", "/instance/connectionState/b", apiKey: "token-a").status == 401)
            #expect(try await client.call("POST", "/instance/create", json: #"{"instanceName":"c"}"#, apiKey: "token-a").status == 401)
            let own = try await client.call("GET", "/instance/fetchInstances", apiKey: "token-a")
            #expect(own.status == 200)
            #expect(own.json?.arrayValue?.count == 1)
            #expect(own.json?.arrayValue?.first?["instance"]?["instanceName"] == "a")
            #expect(try await client.call("DELETE", "/instance/delete/a", apiKey: "token-a").status == 200)
        }
    }

    @Test("create validation errors answer the schema messages")
    func createValidation() async throws {
        try await withSimulator(configuration) { simulator, client in
            let badEvent = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"x1","webhook":"https://h.example.com","events":["MESSAGE_UPSERT"]}"#)
            #expect(badEvent.status == 400)
            #expect(
                badEvent.json
                    == json(
                        #"{"status":400,"error":"Bad Request","response":{"message":["events[0] is not one of enum values: \#(Self.allEvents)"]}}"#
                    ))
            // The name guard runs before the schema: MongoDB refuses the empty collection name.
            let emptyName = try await client.call("POST", "/instance/create", json: #"{"instanceName":""}"#)
            #expect(
                emptyName.json
                    == json(
                        #"{"status":500,"error":"Internal Server Error","response":{"message":["MongoInvalidArgumentError: Collection names cannot be empty"]}}"#
                    ))
            let dollar = try await client.call("GET", "/instance/connectionState/a$b")
            #expect(dollar.json?.envelopeMessage == json(#"["MongoInvalidArgumentError: Collection names must not contain '$'"]"#))
            let badType = try await client.call("POST", "/instance/create", json: #"{"instanceName":"x2","qrcode":"yes"}"#)
            #expect(
                badType.json?.envelopeMessage
                    == json(#"["qrcode is not of a type(s) boolean","qrcode is not one of enum values: true,false"]"#))
            let badNumber = try await client.call("POST", "/instance/create", json: #"{"instanceName":"x3","number":"abc"}"#)
            #expect(badNumber.json?.envelopeMessage == json(#"["number does not match pattern \"^\\\\d+[\\\\.@\\\\w-]+\""]"#))
            #expect(await simulator.instanceNames().isEmpty)
        }
    }

    @Test("a failed create leaves the half-created instance behind")
    func createLeavesLeftovers() async throws {
        try await withSimulator(configuration) { simulator, client in
            let chatwoot = try await client.call(
                "POST", "/instance/create",
                json: #"{"instanceName":"x2","chatwoot_account_id":"3","chatwoot_token":"t","chatwoot_url":"https://chatwoot.example.com"}"#)
            #expect(chatwoot.status == 400)
            #expect(chatwoot.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["sign_msg is required"]}}"#))
            let badURL = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"x3","webhook":"not a url","events":[]}"#)
            #expect(badURL.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["Invalid \"url\" property in webhook"]}}"#))
            let badChatwootURL = try await client.call(
                "POST", "/instance/create",
                json: #"{"instanceName":"x4","chatwoot_account_id":"3","chatwoot_token":"t","chatwoot_url":"ftp:/nope nope"}"#)
            #expect(badChatwootURL.json?.envelopeMessage == json(#"["Invalid \"url\" property in chatwoot"]"#))
            #expect(await simulator.instanceNames() == ["x2", "x3", "x4"])
            let retry = try await client.call("POST", "/instance/create", json: #"{"instanceName":"x3"}"#)
            #expect(retry.status == 403)
            // Created before the webhook check: no settings or integration were saved.
            #expect(try await client.call("GET", "/settings/find/x3").json == json(#"{"reject_call":false,"msg_call":"","groups_ignore":true}"#))
        }
    }

    @Test("duplicate tokens are refused; WHATSAPP-BUSINESS needs a token and a number")
    func tokenRules() async throws {
        try await withSimulator(configuration) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","token":"same"}"#)
            let duplicate = try await client.call("POST", "/instance/create", json: #"{"instanceName":"b","token":"same"}"#)
            #expect(duplicate.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["Token already exists"]}}"#))
            let noToken = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"c","integration":"WHATSAPP-BUSINESS"}"#)
            #expect(noToken.json?.envelopeMessage == json(#"["token is required"]"#))
            let noNumber = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"d","integration":"WHATSAPP-BUSINESS","token":"t-d"}"#)
            #expect(noNumber.json?.envelopeMessage == json(#"["number is required"]"#))
            #expect(await simulator.instanceNames() == ["a", "d"])
        }
    }

    @Test("fetchInstances answers A7 shapes: array, single object, 404")
    func fetchInstances() async throws {
        try await withSimulator(configuration) { simulator, client in
            #expect(try await client.call("GET", "/instance/fetchInstances").json == [])
            _ = try await client.call(
                "POST", "/instance/create",
                json: """
                    {"instanceName":"support","chatwoot_account_id":"3","chatwoot_token":"cw-user-token",
                     "chatwoot_url":"https://chatwoot.example.com","chatwoot_sign_msg":true,
                     "chatwoot_reopen_conversation":true,"chatwoot_conversation_pending":false}
                    """)
            let token = await simulator.token(of: "support") ?? ""
            let all = try await client.call("GET", "/instance/fetchInstances")
            let expected = json(
                """
                {"instance":{"instanceName":"support","instanceId":"<volatile>","status":"close","serverUrl":"\(simulator.baseURL)",
                 "apikey":"\(token)",
                 "chatwoot":{"enabled":true,"account_id":"3","token":"cw-user-token","url":"https://chatwoot.example.com",
                   "name_inbox":"support","sign_msg":true,"sign_delimiter":null,"reopen_conversation":true,"conversation_pending":false,
                   "merge_brazil_contacts":false,"import_contacts":true,"import_messages":true,"days_limit_import_messages":60,
                   "webhook_url":"\(simulator.baseURL)/chatwoot/webhook/support"},
                 "integration":{"webhook_wa_business":"\(simulator.baseURL)/webhook/whatsapp/support"}}}
                """)
            #expect(masked(all.json) == .array([expected]))
            let one = try await client.call("GET", "/instance/fetchInstances?instanceName=support")
            #expect(masked(one.json) == expected)
            let none = try await client.call("GET", "/instance/fetchInstances?instanceName=nope")
            #expect(none.status == 404)
            #expect(none.json == json(#"{"status":404,"error":"Not Found","response":{"message":["Instance \"nope\" not found"]}}"#))
            #expect(try await client.call("GET", "/instance/fetchInstances", apiKey: "wrong").status == 401)
        }
    }

    @Test("an open instance shows owner and profile in fetchInstances")
    func fetchOpenInstance() async throws {
        try await withSimulator(configuration) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"sales","token":"t1","number":"5511999990000"}"#)
            try await simulator.setConnectionState("open", of: "sales")
            let info = try await client.call("GET", "/instance/fetchInstances?instanceName=sales").json?["instance"]?.objectValue
            #expect(info?.keys == [
                "instanceName", "instanceId", "owner", "profileName", "profileStatus", "status", "serverUrl", "apikey", "integration",
            ])
            #expect(info?["owner"] == "5511999990000@s.whatsapp.net")
            #expect(info?["status"] == "open")
            #expect(info?["integration"] == json(#"{"number":"5511999990000","token":"t1","webhook_wa_business":"\#(simulator.baseURL)/webhook/whatsapp/sales"}"#))
        }
    }

    @Test("connection state machine: close, connect, connecting with counts, open, logout")
    func connectionStates() async throws {
        try await withSimulator(configuration) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a"}"#)
            #expect(try await client.call("GET", "/instance/connectionState/a").json == json(#"{"instance":{"instanceName":"a","state":"close"}}"#))
            let logoutClosed = try await client.call("DELETE", "/instance/logout/a")
            #expect(logoutClosed.status == 400)
            #expect(logoutClosed.json?.envelopeMessage == json(#"["The \"a\" instance is not connected"]"#))
            let first = try await client.call("GET", "/instance/connect/a")
            #expect(first.json?["count"] == 1)
            #expect(try await client.call("GET", "/instance/connectionState/a").json?["instance"]?["state"] == "connecting")
            let second = try await client.call("GET", "/instance/connect/a")
            #expect(second.json?["count"] == 2)
            #expect(second.json?["code"] != first.json?["code"])
            try await simulator.setConnectionState("open", of: "a")
            #expect(try await client.call("GET", "/instance/connect/a").json == json(#"{"instance":{"instanceName":"a","state":"open"}}"#))
            #expect(try await client.call("PUT", "/instance/restart/a").json == json(#"{"instance":{"instanceName":"a","state":"open"}}"#))
            let deleteOpen = try await client.call("DELETE", "/instance/delete/a")
            #expect(deleteOpen.status == 400)
            #expect(deleteOpen.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["The \"a\" instance needs to be disconnected"]}}"#))
            let logout = try await client.call("DELETE", "/instance/logout/a")
            #expect(logout.json == json(#"{"status":"SUCCESS","error":false,"response":{"message":"Instance logged out"}}"#))
            #expect(await simulator.connectionState(of: "a") == "close")
            let deleted = try await client.call("DELETE", "/instance/delete/a")
            #expect(deleted.json == json(#"{"status":"SUCCESS","error":false,"response":{"message":"Instance deleted"}}"#))
            #expect(try await client.call("GET", "/instance/connectionState/a").status == 404)
        }
    }

    @Test("a connecting instance can be deleted; restart is PUT only")
    func deleteConnectingAndRestartVerb() async throws {
        try await withSimulator(configuration) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","qrcode":true}"#)
            let post = try await client.call("POST", "/instance/restart/a")
            #expect(post.status == 404)
            #expect(post.json == json(#"{"status":404,"error":"Not Found","response":{"message":["Cannot POST /instance/restart/a"]}}"#))
            #expect(try await client.call("PUT", "/instance/restart/a").json?["instance"]?["state"] == "connecting")
            #expect(try await client.call("DELETE", "/instance/delete/a").status == 200)
            #expect(await simulator.instanceNames().isEmpty)
            #expect(try await client.call("POST", "/instance/create", json: #"{"instanceName":"a"}"#).status == 201)
        }
    }

    @Test("webhook set and find answer A10; disabling blanks url and events; set replaces the record")
    func webhook() async throws {
        try await withSimulator(configuration) { _, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"sales-bot","token":"sales-bot-token-0001"}"#)
            #expect(
                try await client.call("GET", "/webhook/find/sales-bot").json
                    == json(#"{"enabled":false,"url":"","events":[],"webhook_by_events":false,"webhook_base64":false}"#))
            let set = try await client.call(
                "POST", "/webhook/set/sales-bot",
                json: #"{"enabled":true,"url":"https://hooks.example.com/evolution","webhook_by_events":true,"webhook_base64":false,"events":["MESSAGES_UPSERT","SEND_MESSAGE"]}"#,
                apiKey: "sales-bot-token-0001")
            #expect(set.status == 201)
            #expect(
                set.json
                    == json(
                        #"{"webhook":{"instanceName":"sales-bot","webhook":{"enabled":true,"url":"https://hooks.example.com/evolution","webhook_by_events":true,"webhook_base64":false,"events":["MESSAGES_UPSERT","SEND_MESSAGE"]}}}"#
                    ))
            #expect(
                try await client.call("GET", "/webhook/find/sales-bot").json
                    == json(
                        #"{"enabled":true,"url":"https://hooks.example.com/evolution","events":["MESSAGES_UPSERT","SEND_MESSAGE"],"webhook_by_events":true,"webhook_base64":false}"#
                    ))
            let disable = try await client.call(
                "POST", "/webhook/set/sales-bot", json: #"{"enabled":false,"url":"https://hooks.example.com/evolution","events":[]}"#)
            #expect(disable.json == json(#"{"webhook":{"instanceName":"sales-bot","webhook":{"enabled":false,"url":"","events":[]}}}"#))
            #expect(try await client.call("GET", "/webhook/find/sales-bot").json == json(#"{"enabled":false,"url":"","events":[]}"#))
            let all = try await client.call("POST", "/webhook/set/sales-bot", json: #"{"url":"https://h.example.com","events":[]}"#)
            #expect(all.json?["webhook"]?["webhook"] == json(#"{"url":"https://h.example.com","events":\#(Self.allEventsJSON().text),"enabled":true}"#))
        }
    }

    @Test("webhook set errors: missing url, invalid url, missing events")
    func webhookErrors() async throws {
        try await withSimulator(configuration) { _, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a"}"#)
            let missing = try await client.call("POST", "/webhook/set/a", json: #"{"enabled":true,"events":[]}"#)
            #expect(missing.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["instance requires property \"url\""]}}"#))
            let invalid = try await client.call("POST", "/webhook/set/a", json: #"{"enabled":false,"url":"not a url","events":[]}"#)
            #expect(invalid.json == json(#"{"status":400,"error":"Bad Request","response":{"message":["Invalid \"url\" property"]}}"#))
            let empty = try await client.call("POST", "/webhook/set/a", json: #"{"url":""}"#)
            #expect(empty.json?.envelopeMessage == json(#"["The \"url\" cannot be empty"]"#))
            let noEvents = try await client.call("POST", "/webhook/set/a", json: #"{"enabled":true,"url":"https://h.example.com"}"#)
            #expect(noEvents.status == 500)
            #expect(
                noEvents.json
                    == json(
                        #"{"status":500,"error":"Internal Server Error","response":{"message":"Cannot read properties of undefined (reading 'length')"}}"#
                    ))
            let badEvent = try await client.call("POST", "/webhook/set/a", json: #"{"url":"https://h.example.com","events":["NOPE"]}"#)
            #expect(badEvent.json?.envelopeMessage == json(#"["events[0] is not one of enum values: \#(Self.allEvents)"]"#))
        }
    }

    @Test("Chatwoot set and find answer A11; unset and disabled shapes; validation")
    func chatwoot() async throws {
        try await withSimulator(configuration) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"support"}"#)
            #expect(
                try await client.call("GET", "/chatwoot/find/support").json
                    == json(#"{"enabled":false,"url":"","account_id":"","token":"","sign_msg":false,"name_inbox":"","webhook_url":""}"#))
            let url = "\(simulator.baseURL)/chatwoot/webhook/support"
            let set = try await client.call(
                "POST", "/chatwoot/set/support",
                json: """
                    {"enabled":true,"account_id":"3","token":"cw-user-token","url":"https://chatwoot.example.com","sign_msg":false,
                     "reopen_conversation":true,"conversation_pending":false,"name_inbox":"Support WA","import_contacts":false,
                     "import_messages":false,"days_limit_import_messages":0,"auto_create":false}
                    """)
            #expect(set.status == 201)
            #expect(
                set.json
                    == json(
                        """
                        {"enabled":true,"account_id":"3","token":"cw-user-token","url":"https://chatwoot.example.com","sign_msg":false,
                         "reopen_conversation":true,"conversation_pending":false,"name_inbox":"Support WA","import_contacts":false,
                         "import_messages":false,"days_limit_import_messages":0,"auto_create":false,"sign_delimiter":null,"webhook_url":"\(url)"}
                        """))
            #expect(
                try await client.call("GET", "/chatwoot/find/support").json
                    == json(
                        """
                        {"enabled":true,"account_id":"3","token":"cw-user-token","url":"https://chatwoot.example.com","name_inbox":"Support WA",
                         "sign_msg":false,"sign_delimiter":null,"reopen_conversation":true,"conversation_pending":false,
                         "import_contacts":false,"import_messages":false,"days_limit_import_messages":0,"webhook_url":"\(url)"}
                        """))
            let disable = try await client.call(
                "POST", "/chatwoot/set/support",
                json: #"{"enabled":false,"account_id":"","token":"","url":"","sign_msg":false,"reopen_conversation":false,"conversation_pending":false}"#)
            #expect(
                disable.json
                    == json(
                        """
                        {"enabled":false,"account_id":"","token":"","url":"","sign_msg":false,"reopen_conversation":false,
                         "conversation_pending":false,"sign_delimiter":null,"import_contacts":false,"import_messages":false,
                         "merge_brazil_contacts":false,"days_limit_import_messages":0,"auto_create":false,"name_inbox":"support",
                         "webhook_url":"\(url)"}
                        """))
            let empty = try await client.call("POST", "/chatwoot/set/support", json: "{}")
            #expect(
                empty.json?.envelopeMessage
                    == json(
                        #"["instance requires property \"enabled\"","instance requires property \"account_id\"","instance requires property \"token\"","instance requires property \"url\"","instance requires property \"sign_msg\"","instance requires property \"reopen_conversation\"","instance requires property \"conversation_pending\""]"#
                    ))
            let badURL = try await client.call(
                "POST", "/chatwoot/set/support",
                json: #"{"enabled":true,"account_id":"3","token":"t","url":"not a url","sign_msg":true,"reopen_conversation":true,"conversation_pending":false}"#)
            #expect(badURL.json?.envelopeMessage == json(#"["url is not valid"]"#))
            let numeric = try await client.call(
                "POST", "/chatwoot/set/support",
                json: #"{"enabled":true,"account_id":3,"token":"t","url":"https://c.example.com","sign_msg":true,"reopen_conversation":true,"conversation_pending":false}"#)
            #expect(numeric.json?.envelopeMessage == json(#"["account_id is not of a type(s) string"]"#))
        }
    }

    @Test("settings set and find answer A12; full replace; validation")
    func settings() async throws {
        try await withSimulator(configuration) { _, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"sales-bot"}"#)
            let body = #"{"reject_call":true,"msg_call":"No calls","groups_ignore":false,"always_online":false,"read_messages":true,"read_status":false,"sync_full_history":false}"#
            let set = try await client.call("POST", "/settings/set/sales-bot", json: body)
            #expect(set.status == 201)
            #expect(set.json == json(#"{"settings":{"instanceName":"sales-bot","settings":\#(body)}}"#))
            #expect(try await client.call("GET", "/settings/find/sales-bot").json == json(body))
            let withoutMessage = #"{"reject_call":false,"groups_ignore":false,"always_online":false,"read_messages":false,"read_status":false,"sync_full_history":false}"#
            _ = try await client.call("POST", "/settings/set/sales-bot", json: withoutMessage)
            #expect(try await client.call("GET", "/settings/find/sales-bot").json == json(withoutMessage))
            let missing = try await client.call("POST", "/settings/set/sales-bot", json: #"{"reject_call":true}"#)
            #expect(
                missing.json?.envelopeMessage
                    == json(
                        #"["instance requires property \"groups_ignore\"","instance requires property \"always_online\"","instance requires property \"read_messages\"","instance requires property \"read_status\"","instance requires property \"sync_full_history\""]"#
                    ))
            let wrongType = try await client.call(
                "POST", "/settings/set/sales-bot",
                json: #"{"reject_call":"yes","groups_ignore":false,"always_online":false,"read_messages":false,"read_status":false,"sync_full_history":false}"#)
            #expect(
                wrongType.json?.envelopeMessage
                    == json(#"["reject_call is not of a type(s) boolean","reject_call is not one of enum values: true,false"]"#))
        }
    }

    @Test("file storage: unset webhook is {}, unset Chatwoot shows only the delimiter and webhook_url")
    func fileStorage() async throws {
        var files = configuration
        files.v1Storage = .files
        try await withSimulator(files) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"support"}"#)
            #expect(try await client.call("GET", "/webhook/find/support").json == json("{}"))
            #expect(try await client.call("GET", "/settings/find/support").json?["groups_ignore"] == true)
            let emptyName = try await client.call("POST", "/instance/create", json: #"{"instanceName":""}"#)
            #expect(emptyName.json?.envelopeMessage == json(#"["This name \"\" is already in use."]"#))
            #expect(
                try await client.call("GET", "/chatwoot/find/support").json
                    == json(#"{"sign_delimiter":null,"webhook_url":"\#(simulator.baseURL)/chatwoot/webhook/support"}"#))
            #expect(try await client.call("GET", "/instance/fetchInstances", apiKey: await simulator.token(of: "support")).status == 401)
        }
    }

    @Test("unknown routes, malformed bodies and bodies without a JSON content type")
    func routingAndBodies() async throws {
        try await withSimulator(configuration) { _, client in
            let unknown = try await client.call("GET", "/instance/fetchInstance?x=1")
            #expect(unknown.json == json(#"{"status":404,"error":"Not Found","response":{"message":["Cannot GET /instance/fetchInstance?x=1"]}}"#))
            let malformed = try await client.call("POST", "/instance/create", json: "{instanceName:1}")
            #expect(malformed.status == 400)
            #expect(
                malformed.json
                    == json(#"{"status":400,"error":"Internal Server Error","response":{"message":"Expected property name or '}' in JSON at position 1"}}"#))
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a"}"#)
            let plain = try await client.call(
                "POST", "/webhook/set/a", json: #"{"url":"https://h.example.com","events":[]}"#, contentType: "text/plain")
            #expect(plain.json?.envelopeMessage == json(#"["instance requires property \"url\""]"#))
            let missingName = try await client.call("POST", "/instance/create", json: "{}")
            #expect(missingName.status == 500)
            let caseInsensitive = try await client.call("GET", "/INSTANCE/FetchInstances/")
            #expect(caseInsensitive.status == 200)
        }
    }
}
