import EvoformCore
import EvoformRemote
import Foundation
import Testing

/// Bodies from `EXAMPLES.md`, read through the client as the server would send them.
enum Examples {
    /// A7, `AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true`.
    static let v1FetchInstances = #"""
        [
          {"instance": {"instanceName": "sales-bot", "instanceId": "5f0c8a8e-3f0d-4c6b-9d7e-2a9f6d1c0b11",
            "owner": "5511999990000@s.whatsapp.net", "profileName": "Sales", "profilePictureUrl": "https://pps.whatsapp.net/v/t61",
            "profileStatus": "Available", "status": "open", "serverUrl": "http://localhost:8080",
            "apikey": "sales-bot-token-0001",
            "integration": {"integration": "WHATSAPP-BAILEYS", "token": "sales-bot-token-0001",
              "webhook_wa_business": "http://localhost:8080/webhook/whatsapp/sales-bot"}}},
          {"instance": {"instanceName": "support", "instanceId": "0d4b3b52-77b5-4b8e-a0f2-0e3e7b6a9c10",
            "status": "close", "serverUrl": "http://localhost:8080", "apikey": "1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D",
            "chatwoot": {"enabled": true, "account_id": "3", "token": "cw-user-token",
              "url": "https://chatwoot.example.com", "name_inbox": "support", "sign_msg": true,
              "sign_delimiter": null, "reopen_conversation": true, "conversation_pending": false,
              "merge_brazil_contacts": false, "import_contacts": true, "import_messages": true,
              "days_limit_import_messages": 60,
              "webhook_url": "http://localhost:8080/chatwoot/webhook/support"},
            "integration": {"webhook_wa_business": "http://localhost:8080/webhook/whatsapp/support"}}}
        ]
        """#

    /// A7 without the EXPOSE flag: no token, no Chatwoot.
    static let v1FetchInstancesHidden = #"""
        [{"instance": {"instanceName": "support", "instanceId": "0d4b3b52", "status": "close"}}]
        """#

    /// A10 find.
    static let v1WebhookFind = #"""
        {"enabled":true,"url":"https://hooks.example.com/evolution","events":["MESSAGES_UPSERT","SEND_MESSAGE"],"webhook_by_events":true,"webhook_base64":false}
        """#

    /// A11 find.
    static let v1ChatwootFind = #"""
        {"enabled": true, "account_id": "3", "token": "cw-user-token", "url": "https://chatwoot.example.com",
         "name_inbox": "Support WA", "sign_msg": false, "sign_delimiter": null,
         "reopen_conversation": true, "conversation_pending": false, "merge_brazil_contacts": false,
         "import_contacts": false, "import_messages": false, "days_limit_import_messages": 0,
         "webhook_url": "http://localhost:8080/chatwoot/webhook/support"}
        """#

    /// A12 find.
    static let v1SettingsFind = #"""
        {"reject_call":true,"msg_call":"No calls","groups_ignore":false,"always_online":false,"read_messages":true,"read_status":false,"sync_full_history":false}
        """#

    /// B8 (one row).
    static let v2FetchInstances = #"""
        [{"id": "b3f1c6a2-8d0e-4f57-9a41-6c2e0d7b5a90", "name": "sales-bot", "connectionStatus": "open",
          "ownerJid": "5511999990000@s.whatsapp.net", "profileName": "Sales", "profilePicUrl": "https://pps.whatsapp.net/v/t61",
          "integration": "WHATSAPP-BAILEYS", "number": null, "businessId": null, "token": "sales-bot-token-0001",
          "clientName": "evolution", "disconnectionReasonCode": null, "disconnectionObject": null,
          "disconnectionAt": null, "createdAt": "2025-06-01T12:00:00.000Z", "updatedAt": "2025-06-01T12:05:31.000Z",
          "Chatwoot": null, "Proxy": null, "Rabbitmq": null, "Nats": null, "Sqs": null, "Websocket": null,
          "Setting": {"id": "cmbf0x2a10001qz0l9k1s2t3u", "rejectCall": true, "msgCall": "Calls are not answered here.",
            "groupsIgnore": true, "alwaysOnline": false, "readMessages": false, "readStatus": false,
            "syncFullHistory": false, "wavoipToken": "", "createdAt": "2025-06-01T12:00:00.000Z",
            "updatedAt": "2025-06-01T12:00:00.000Z", "instanceId": "b3f1c6a2-8d0e-4f57-9a41-6c2e0d7b5a90"},
          "_count": {"Message": 12, "Contact": 40, "Chat": 7}}]
        """#

    /// B9 set/find row.
    static let v2WebhookFind = #"""
        {"id": "cmbf0x9zq0003qz0l1v2w3x4y", "url": "https://hooks.example.com/evolution",
         "headers": {"authorization": "Bearer hook-secret"}, "enabled": true,
         "events": ["MESSAGES_UPSERT", "CONNECTION_UPDATE"], "webhookByEvents": false, "webhookBase64": true,
         "createdAt": "2025-06-01T12:00:00.000Z", "updatedAt": "2025-06-01T12:10:00.000Z",
         "instanceId": "b3f1c6a2-8d0e-4f57-9a41-6c2e0d7b5a90"}
        """#

    /// B10 find.
    static let v2ChatwootFind = #"""
        {"enabled": true, "accountId": "3", "token": "cw-user-token", "url": "https://chatwoot.example.com",
         "nameInbox": "Support WA", "signMsg": true, "signDelimiter": "\n",
         "reopenConversation": true, "conversationPending": false, "mergeBrazilContacts": false,
         "importContacts": false, "importMessages": false, "daysLimitImportMessages": 3,
         "organization": null, "logo": null, "ignoreJids": ["@g.us"],
         "webhook_url": "http://localhost:8080/chatwoot/webhook/support"}
        """#

    /// A v2 row for `name` carrying the given Chatwoot and Setting relations.
    static func v2Row(_ name: String, chatwoot: String = "null", setting: String = "null") -> String {
        #"[{"id":"id-\#(name)","name":"\#(name)","connectionStatus":"close","token":"T-\#(name)","Chatwoot":\#(chatwoot),"Setting":\#(setting)}]"#
    }

    /// A v1 element for `name`, details hidden (so every group needs a find).
    static func v1Element(_ name: String) -> String {
        #"[{"instance":{"instanceName":"\#(name)","instanceId":"id-\#(name)","status":"close"}}]"#
    }
}

/// Routes requests by path to canned bodies; anything else is a 404 envelope.
func routed(_ routes: [String: String]) -> ScriptedTransport {
    ScriptedTransport { request in
        if let body = routes[request.url.path] { return Reply.json(200, body) }
        return Reply.error(404, ["The instance does not exist"])
    }
}

@Suite struct NormalizationTests {
    @Test func v1FleetIsObservedFromTheListAndOnlyTheFindsItLacks() async throws {
        let transport = routed([
            "/instance/fetchInstances": Examples.v1FetchInstances,
            "/webhook/find/sales-bot": Examples.v1WebhookFind,
            "/settings/find/sales-bot": Examples.v1SettingsFind,
        ])
        let client = Fixture.client(.v1, transport)
        let observed = try await client.observe(
            ["sales-bot": [.webhook, .settings, .chatwoot, .replaceForcing], "support": [.chatwoot], "ghost": [.webhook]],
            parallelism: 4)

        #expect(Set(observed.keys) == ["sales-bot", "support"])
        #expect(transport.calls.count == 3)
        #expect(transport.calls.first == "GET /instance/fetchInstances")
        #expect(Set(transport.calls.dropFirst()) == ["GET /webhook/find/sales-bot", "GET /settings/find/sales-bot"])

        let sales = try #require(observed["sales-bot"])
        #expect(sales.status == .open)
        #expect(sales.serverID == "5f0c8a8e-3f0d-4c6b-9d7e-2a9f6d1c0b11")
        #expect(sales.secrets[.token]?.revealed == "sales-bot-token-0001")
        #expect(
            sales.configuration
                == InstanceConfiguration([
                    .webhookEnabled: .bool(true), .webhookURL: .string("https://hooks.example.com/evolution"),
                    .webhookByEvents: .bool(true), .webhookBase64: .bool(false),
                    .webhookEvents: .events(.only(["MESSAGES_UPSERT", "SEND_MESSAGE"])),
                    .chatwootEnabled: .bool(false),
                    .rejectCall: .bool(true), .msgCall: .string("No calls"), .groupsIgnore: .bool(false),
                    .alwaysOnline: .bool(false), .readMessages: .bool(true), .readStatus: .bool(false),
                    .syncFullHistory: .bool(false),
                ]))

        let support = try #require(observed["support"])
        #expect(support.status == .close)
        #expect(support.secrets[.chatwootToken]?.revealed == "cw-user-token")
        #expect(support.secrets[.token]?.revealed == "1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D")
        #expect(
            support.configuration
                == InstanceConfiguration([
                    .chatwootEnabled: .bool(true), .chatwootAccountID: .integer(3),
                    .chatwootURL: .string("https://chatwoot.example.com"), .chatwootNameInbox: .string("support"),
                    .chatwootSignMsg: .bool(true), .chatwootReopenConversation: .bool(true),
                    .chatwootConversationPending: .bool(false), .chatwootMergeBrazilContacts: .bool(false),
                    .chatwootImportContacts: .bool(true), .chatwootImportMessages: .bool(true),
                    .chatwootDaysLimitImportMessages: .integer(60),
                ]))
    }

    @Test func v1WithoutExposedDetailsAsksChatwootFind() async throws {
        let transport = routed([
            "/instance/fetchInstances": Examples.v1FetchInstancesHidden,
            "/chatwoot/find/support": Examples.v1ChatwootFind,
        ])
        let observed = try await Fixture.client(.v1, transport).observe(["support": [.chatwoot]], parallelism: 2)
        #expect(transport.calls == ["GET /instance/fetchInstances", "GET /chatwoot/find/support"])
        let support = try #require(observed["support"])
        #expect(support.secrets[.token] == nil)
        #expect(support.secrets[.chatwootToken]?.revealed == "cw-user-token")
        #expect(support.configuration[.chatwootAccountID] == .integer(3))
        #expect(support.configuration[.chatwootNameInbox] == .string("Support WA"))
        #expect(support.configuration[.chatwootDaysLimitImportMessages] == .integer(0))
    }

    @Test func v2FleetNeedsOnlyTheWebhookFind() async throws {
        let transport = routed([
            "/instance/fetchInstances": Examples.v2FetchInstances,
            "/webhook/find/sales-bot": Examples.v2WebhookFind,
        ])
        let observed = try await Fixture.client(.v2, transport).observe(
            ["sales-bot": [.webhook, .chatwoot, .settings]], parallelism: 10)
        #expect(transport.calls == ["GET /instance/fetchInstances", "GET /webhook/find/sales-bot"])
        let sales = try #require(observed["sales-bot"])
        #expect(sales.serverID == "b3f1c6a2-8d0e-4f57-9a41-6c2e0d7b5a90")
        #expect(sales.status == .open)
        #expect(sales.secrets == [.token: Secret("sales-bot-token-0001")])
        #expect(
            sales.configuration
                == InstanceConfiguration([
                    .webhookEnabled: .bool(true), .webhookURL: .string("https://hooks.example.com/evolution"),
                    .webhookByEvents: .bool(false), .webhookBase64: .bool(true),
                    .webhookEvents: .events(.only(["MESSAGES_UPSERT", "CONNECTION_UPDATE"])),
                    .chatwootEnabled: .bool(false),
                    .rejectCall: .bool(true), .msgCall: .string("Calls are not answered here."),
                    .groupsIgnore: .bool(true), .alwaysOnline: .bool(false), .readMessages: .bool(false),
                    .readStatus: .bool(false), .syncFullHistory: .bool(false),
                ]))
    }

    @Test func onlyWantedGroupsAreReportedAndNothingWantedCostsNothing() async throws {
        let transport = routed(["/instance/fetchInstances": Examples.v2FetchInstances])
        let client = Fixture.client(.v2, transport)
        #expect(try await client.observe([:], parallelism: 4).isEmpty)
        #expect(transport.calls.isEmpty)
        let observed = try await client.observe(["sales-bot": [.replaceForcing]], parallelism: 4)
        #expect(observed["sales-bot"]?.configuration == InstanceConfiguration())
        #expect(observed["sales-bot"]?.secrets[.token] != nil)
        #expect(transport.calls == ["GET /instance/fetchInstances"])
    }

    @Test func anInstanceDeletedBetweenListAndFindIsAbsent() async throws {
        let transport = routed(["/instance/fetchInstances": Examples.v1Element("gone")])
        let observed = try await Fixture.client(.v1, transport).observe(["gone": [.webhook]], parallelism: 1)
        #expect(observed.isEmpty)
        #expect(transport.calls == ["GET /instance/fetchInstances", "GET /webhook/find/gone"])
    }

    static let unsetWebhooks: [(APIVersionChoice, String)] = [
        (.v1, "{}"),
        (.v1, #"{"enabled":false,"url":"","events":[],"webhook_by_events":false,"webhook_base64":false}"#),
        (.v1, #"{"enabled":false,"url":"","events":[]}"#),
        (.v2, "null"),
        (.v2, #"{"id":"x","url":"https://h.example.com","enabled":false,"events":[],"webhookByEvents":true,"webhookBase64":false}"#),
    ]

    @Test(arguments: unsetWebhooks)
    func unsetOrDisabledWebhookShapesMeanOnlyDisabled(version: APIVersionChoice, body: String) async throws {
        let observed = try await observeOne(version, .webhook, find: body)
        #expect(observed.configuration == InstanceConfiguration([.webhookEnabled: .bool(false)]))
    }

    static let unsetChatwoots: [(APIVersionChoice, String)] = [
        (.v1, #"{"enabled":false,"url":"","account_id":"","token":"","sign_msg":false,"name_inbox":"","webhook_url":""}"#),
        (.v1, #"{"sign_delimiter":null,"webhook_url":"http://localhost:8080/chatwoot/webhook/x1"}"#),
        (.v2, #"{"enabled":false,"url":"","accountId":"","token":"","signMsg":false,"nameInbox":"","webhook_url":""}"#),
        (.v2, #"{"enabled":false,"url":"https://c.example.com","accountId":"3","token":"t","signMsg":true,"nameInbox":"x"}"#),
    ]

    @Test(arguments: unsetChatwoots)
    func unsetOrDisabledChatwootShapesMeanOnlyDisabled(version: APIVersionChoice, body: String) async throws {
        let observed = try await observeOne(version, .chatwoot, find: body)
        #expect(observed.configuration == InstanceConfiguration([.chatwootEnabled: .bool(false)]))
        #expect(observed.secrets[.chatwootToken] == nil)
    }

    @Test func eventListsCompareAsSetsAndTheFullListIsAll() async throws {
        let v1All = JSONValue.array(EventCatalog.v1.reversed().map { .string($0.rawValue) }).canonicalText
        let v2All = JSONValue.array(EventCatalog.v2.map { .string($0.rawValue) }).canonicalText
        let v1 = try await observeOne(.v1, .webhook, find: #"{"enabled":true,"url":"https://h.example.com","events":\#(v1All)}"#)
        let v2 = try await observeOne(
            .v2, .webhook, find: #"{"enabled":true,"url":"https://h.example.com","events":\#(v2All),"webhookByEvents":false,"webhookBase64":false}"#)
        #expect(v1.configuration[.webhookEvents] == .events(.all))
        #expect(v1.configuration == v2.configuration)

        let ordered = try await observeOne(
            .v1, .webhook, find: #"{"enabled":true,"url":"u","events":["SEND_MESSAGE","CALL"]}"#)
        let reversed = try await observeOne(
            .v1, .webhook, find: #"{"enabled":true,"url":"u","events":["CALL","SEND_MESSAGE"]}"#)
        #expect(ordered.configuration == reversed.configuration)
    }

    @Test func equalChatwootConfigurationsCompareEqualAcrossVersionsAndAccountIdSpellings() async throws {
        let v1 = try await observeOne(
            .v1, .chatwoot,
            find: #"{"enabled":true,"account_id":7,"token":"tok","url":"https://c.example.com","sign_msg":true,"reopen_conversation":false,"conversation_pending":false,"name_inbox":"box"}"#
        )
        let v2 = try await observeOne(
            .v2, .chatwoot,
            list: #"{"enabled":true,"accountId":"7","token":"tok","url":"https://c.example.com","signMsg":true,"reopenConversation":false,"conversationPending":false,"nameInbox":"box","signDelimiter":null,"ignoreJids":[]}"#
        )
        #expect(v1.configuration[.chatwootAccountID] == .integer(7))
        #expect(v1.configuration == v2.configuration)
        #expect(v1.secrets[.chatwootToken] == v2.secrets[.chatwootToken])
        #expect(v1.secrets[.chatwootToken]?.revealed == "tok")
    }

    @Test func equalSettingsCompareEqualAcrossVersions() async throws {
        let v1 = try await observeOne(.v1, .settings, find: Examples.v1SettingsFind)
        let v2 = try await observeOne(
            .v2, .settings,
            list: #"{"rejectCall":true,"msgCall":"No calls","groupsIgnore":false,"alwaysOnline":false,"readMessages":true,"readStatus":false,"syncFullHistory":false,"wavoipToken":""}"#
        )
        #expect(v1.configuration == v2.configuration)
    }

    @Test func aV1WebhookWithoutFlagsReadsThemAsFalse() async throws {
        let observed = try await observeOne(.v1, .webhook, find: #"{"enabled":true,"url":"https://h.example.com","events":["CALL"]}"#)
        #expect(observed.configuration[.webhookByEvents] == .bool(false))
        #expect(observed.configuration[.webhookBase64] == .bool(false))
    }

    @Test func aSettingsObjectWithoutMessageReadsAnEmptyMessage() async throws {
        let observed = try await observeOne(.v1, .settings, find: #"{"reject_call":false,"groups_ignore":true}"#)
        #expect(
            observed.configuration
                == InstanceConfiguration([.rejectCall: .bool(false), .groupsIgnore: .bool(true), .msgCall: .string("")]))
        let empty = try await observeOne(.v1, .settings, find: "{}")
        #expect(empty.configuration == InstanceConfiguration())
    }

    @Test func aFindThatIsNotAnObjectIsAnUnexpectedResponse() async {
        await #expect {
            _ = try await observeOne(.v1, .webhook, find: "[1,2]")
        } throws: { error in
            guard case .unexpectedResponse(let context, _) = error as? RemoteError else { return false }
            return context.endpoint == .webhookFind && context.instance == "x1"
        }
    }

    @Test func aListThatIsNotAListIsAnUnexpectedResponse() async {
        let transport = routed(["/instance/fetchInstances": #"{"status":"ok"}"#])
        await #expect {
            _ = try await Fixture.client(.v2, transport).listInstances()
        } throws: { error in
            guard case .unexpectedResponse(let context, _) = error as? RemoteError else { return false }
            return context.endpoint == .fetchInstances
        }
    }

    /// Observes one instance `x1` whose `group` is given either as a find answer or (v2 Chatwoot
    /// and settings, which come with the list) as the list's relation.
    func observeOne(
        _ version: APIVersionChoice, _ group: FieldGroup, find: String? = nil, list: String? = nil
    ) async throws -> ObservedInstance {
        var routes: [String: String] = [:]
        if version == .v1 {
            routes["/instance/fetchInstances"] = Examples.v1Element("x1")
        } else {
            let relation = list ?? "null"
            routes["/instance/fetchInstances"] = Examples.v2Row(
                "x1", chatwoot: group == .chatwoot ? relation : "null", setting: group == .settings ? relation : "null")
        }
        if let find { routes["/\(group.rawValue)/find/x1"] = find }
        let observed = try await Fixture.client(version, routed(routes)).observe(["x1": [group]], parallelism: 1)
        return try #require(observed["x1"])
    }
}
