import EvoformCore
import EvoformRemote
import Foundation
import Testing

@Suite struct CreateResultTests {
    @Test func v1CreateReadsIdTokenAndQRCodeFromTheAnswer() async throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47])
        let answer = #"""
            {"instance":{"instanceName":"qr-demo","instanceId":"id-9","webhook_wa_business":null,"access_token_wa_business":"","status":"created"},
             "hash":{"apikey":"GENERATED-TOKEN"},"webhook":{},"settings":{"reject_call":false},
             "qrcode":{"pairingCode":null,"code":"2@abc","base64":"data:image/png;base64,\#(png.base64EncodedString())","count":1}}
            """#
        let transport = ScriptedTransport(sequence: [Reply.json(201, answer)])
        let created = try await Fixture.client(.v1, transport).create(
            DesiredInstance(name: "qr-demo", configuration: InstanceConfiguration([.qrcode: .bool(true)])))
        #expect(created.serverID == "id-9")
        #expect(created.token?.revealed == "GENERATED-TOKEN")
        #expect(created.qrCode == QRCode(code: "2@abc", pngData: png, pairingCode: nil, count: 1))
        #expect(created.applied == InstanceConfiguration([.qrcode: .bool(true)]))
        #expect(created.pendingGroups.isEmpty)
    }

    @Test func v2CreateReadsTheHashString() async throws {
        let answer = #"{"instance":{"instanceName":"s","instanceId":"id-2","integration":"WHATSAPP-BAILEYS","status":"close"},"hash":"C0FFEE12"}"#
        let created = try await Fixture.client(.v2, ScriptedTransport(sequence: [Reply.json(201, answer)])).create(
            DesiredInstance(name: "s"))
        #expect(created.serverID == "id-2")
        #expect(created.token?.revealed == "C0FFEE12")
        #expect(created.qrCode == nil)
    }

    @Test func aCreatedInstanceWithAnOddAnswerIsStillCreated() async throws {
        let created = try await Fixture.client(.v2, ScriptedTransport(sequence: [Reply.json(201, "not json")])).create(
            DesiredInstance(name: "s", secrets: [.token: Secret("mine")]))
        #expect(created.serverID == nil)
        #expect(created.token?.revealed == "mine")
    }

    @Test func v1GroupsIgnoreFalseIsPendingBecauseCreateAlwaysStoresTrue() async throws {
        let desired = DesiredInstance(
            name: "s",
            configuration: InstanceConfiguration([.groupsIgnore: .bool(false), .rejectCall: .bool(true)]))
        let v1 = try await Fixture.client(.v1, ScriptedTransport(sequence: [Reply.json(201, "{}")])).create(desired)
        #expect(v1.pendingGroups == [.settings])
        #expect(v1.applied == InstanceConfiguration([.groupsIgnore: .bool(true), .rejectCall: .bool(true)]))

        let v2 = try await Fixture.client(.v2, ScriptedTransport(sequence: [Reply.json(201, "{}")])).create(desired)
        #expect(v2.pendingGroups.isEmpty)
        #expect(v2.applied == desired.configuration)
    }

    @Test(arguments: [APIVersionChoice.v1, .v2])
    func aDisabledWebhookOrChatwootIsNotSentAndReadsBackDisabled(version: APIVersionChoice) async throws {
        let desired = DesiredInstance(
            name: "s",
            configuration: InstanceConfiguration([
                .webhookEnabled: .bool(false), .webhookURL: .string("https://h.example.com"),
                .chatwootEnabled: .bool(false),
            ]))
        let transport = ScriptedTransport(sequence: [Reply.json(201, "{}")])
        let created = try await Fixture.client(version, transport).create(desired)
        let body = try #require(transport.body(at: 0)?.objectValue)
        #expect(body["webhook"] == nil)
        #expect(!body.keys.contains { $0.lowercased().contains("chatwoot") })
        #expect(created.applied == InstanceConfiguration([.webhookEnabled: .bool(false), .chatwootEnabled: .bool(false)]))
        #expect(created.pendingGroups.isEmpty)
    }

    @Test(arguments: [APIVersionChoice.v1, .v2])
    func aWebhookWithoutEventsSendsAllEvents(version: APIVersionChoice) async throws {
        let desired = DesiredInstance(
            name: "s", configuration: InstanceConfiguration([.webhookURL: .string("https://h.example.com")]))
        let transport = ScriptedTransport(sequence: [Reply.json(201, "{}")])
        let created = try await Fixture.client(version, transport).create(desired)
        let body = try #require(transport.body(at: 0))
        let events = version == .v1 ? body["events"] : body["webhook"]?["events"]
        #expect(events == .array([]))
        #expect(created.applied == desired.configuration)
    }

    @Test func appliedEventsAreNormalisedForTheVersion() async throws {
        let desired = DesiredInstance(
            name: "s",
            configuration: InstanceConfiguration([
                .webhookURL: .string("https://h.example.com"), .webhookEvents: .events(.only(Set(EventCatalog.v2))),
            ]))
        let created = try await Fixture.client(.v2, ScriptedTransport(sequence: [Reply.json(201, "{}")])).create(desired)
        #expect(created.applied[.webhookEvents] == .events(.all))
    }

    @Test func nameInUseIsItsOwnError() async {
        let transport = ScriptedTransport(sequence: [Reply.error(403, [#"This name "sales01" is already in use."#])])
        await #expect {
            _ = try await Fixture.client(.v2, transport).create(DesiredInstance(name: "sales01"))
        } throws: { error in
            guard case .nameInUse(let context, _) = error as? RemoteError else { return false }
            return context.instance == "sales01" && context.status == 403
        }
    }
}

@Suite struct SetBodyTests {
    func sentBody(
        _ version: APIVersionChoice, _ group: FieldGroup, desired: InstanceConfiguration, secrets: [Field: Secret] = [:],
        current: ObservedInstance?
    ) async throws -> JSONValue {
        let transport = ScriptedTransport(sequence: [Reply.json(201, "{}")])
        try await Fixture.client(version, transport).set(
            group, of: "sales01", desired: desired, secrets: secrets, current: current)
        #expect(transport.calls == ["POST /\(group.rawValue)/set/sales01"])
        return try #require(transport.body(at: 0))
    }

    let currentWebhook = ObservedInstance(
        name: "sales01",
        configuration: InstanceConfiguration([
            .webhookEnabled: .bool(true), .webhookURL: .string("https://old.example.com"), .webhookByEvents: .bool(true),
            .webhookBase64: .bool(false), .webhookEvents: .events(.only(["CALL"])),
            .rejectCall: .bool(true),
        ]))

    @Test func v1WebhookSetOverlaysDesiredOnObservedAndSendsEveryField() async throws {
        let body = try await sentBody(
            .v1, .webhook, desired: InstanceConfiguration([.webhookURL: .string("https://new.example.com")]),
            current: currentWebhook)
        #expect(
            body
                == [
                    "enabled": true, "url": "https://new.example.com", "webhook_by_events": true, "webhook_base64": false,
                    "events": ["CALL"],
                ])
    }

    @Test func v2WebhookSetIsNestedAndKeepsUnmanagedFlags() async throws {
        let body = try await sentBody(
            .v2, .webhook, desired: InstanceConfiguration([.webhookEvents: .events(.all)]), current: currentWebhook)
        #expect(
            body
                == [
                    "webhook": [
                        "enabled": true, "url": "https://old.example.com", "byEvents": true, "base64": false, "events": [],
                    ]
                ])
    }

    @Test func v1DisablingAWebhookStillSendsAValidURLAndEvents() async throws {
        let known = try await sentBody(
            .v1, .webhook, desired: InstanceConfiguration([.webhookEnabled: .bool(false)]), current: currentWebhook)
        #expect(known == ["enabled": false, "url": "https://old.example.com", "events": []])
        let unknown = try await sentBody(
            .v1, .webhook, desired: InstanceConfiguration([.webhookEnabled: .bool(false)]), current: nil)
        #expect(unknown == ["enabled": false, "url": "http://localhost", "events": []])
    }

    @Test func enablingAWebhookWithoutAURLIsRefusedBeforeSending() async {
        let transport = ScriptedTransport(sequence: [Reply.json(201, "{}")])
        await #expect {
            try await Fixture.client(.v2, transport).set(
                .webhook, of: "sales01", desired: InstanceConfiguration([.webhookByEvents: .bool(true)]), secrets: [:],
                current: nil)
        } throws: { error in
            guard case .validation(let context, let messages) = error as? RemoteError else { return false }
            return context.status == nil && context.endpoint == .webhookSet && messages.first?.contains("URL") == true
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func settingsSetFillsRequiredFlagsWithTheVersionsDefaults() async throws {
        let desired = InstanceConfiguration([.groupsIgnore: .bool(false)])
        let v1 = try await sentBody(.v1, .settings, desired: desired, current: nil)
        #expect(
            v1
                == [
                    "reject_call": false, "groups_ignore": false, "always_online": false, "read_messages": false,
                    "read_status": false, "sync_full_history": false,
                ])
        let current = ObservedInstance(
            name: "sales01",
            configuration: InstanceConfiguration([.rejectCall: .bool(true), .msgCall: .string("busy"), .readStatus: .bool(true)]))
        let v2 = try await sentBody(.v2, .settings, desired: desired, current: current)
        #expect(
            v2
                == [
                    "rejectCall": true, "msgCall": "busy", "groupsIgnore": false, "alwaysOnline": false,
                    "readMessages": false, "readStatus": true, "syncFullHistory": false,
                ])
    }

    let chatwootDesired = InstanceConfiguration([
        .chatwootAccountID: .integer(3), .chatwootURL: .string("https://chatwoot.example.com"),
        .chatwootSignMsg: .bool(true),
    ])

    @Test func chatwootSetSendsTheAccountIdAsAStringAndTheRequiredFlags() async throws {
        let secrets: [Field: Secret] = [.chatwootToken: Secret("cw-token")]
        let v1 = try await sentBody(.v1, .chatwoot, desired: chatwootDesired, secrets: secrets, current: nil)
        #expect(
            v1
                == [
                    "enabled": true, "account_id": "3", "token": "cw-token", "url": "https://chatwoot.example.com",
                    "sign_msg": true, "reopen_conversation": false, "conversation_pending": false, "auto_create": true,
                ])
        let v2 = try await sentBody(.v2, .chatwoot, desired: chatwootDesired, secrets: secrets, current: nil)
        #expect(
            v2
                == [
                    "enabled": true, "accountId": "3", "token": "cw-token", "url": "https://chatwoot.example.com",
                    "signMsg": true, "reopenConversation": false, "conversationPending": false, "autoCreate": true,
                ])
    }

    @Test func chatwootSetKeepsTheObservedTokenWhenTheManifestGivesNone() async throws {
        let current = ObservedInstance(
            name: "sales01",
            configuration: chatwootDesired.merging([.chatwootEnabled: .bool(true), .chatwootNameInbox: .string("box")]),
            secrets: [.chatwootToken: Secret("server-token")])
        let body = try await sentBody(
            .v2, .chatwoot, desired: InstanceConfiguration([.chatwootReopenConversation: .bool(true)]), current: current)
        #expect(body["token"] == "server-token")
        #expect(body["nameInbox"] == "box")
        #expect(body["reopenConversation"] == true)
        #expect(body["enabled"] == true)
        // Already on: no second inbox bootstrap (a bot conversation each time).
        #expect(body["autoCreate"] == false)
    }

    @Test(arguments: [APIVersionChoice.v1, .v2])
    func chatwootIsProvisionedOnlyWhenASetTurnsItOn(version: APIVersionChoice) async throws {
        let key = version == .v1 ? "auto_create" : "autoCreate"
        let secrets: [Field: Secret] = [.chatwootToken: Secret("cw-token")]
        let off = ObservedInstance(name: "sales01", configuration: InstanceConfiguration([.chatwootEnabled: .bool(false)]))
        let on = ObservedInstance(
            name: "sales01", configuration: chatwootDesired.merging([.chatwootEnabled: .bool(true)]), secrets: secrets)
        let turningOn = try await sentBody(version, .chatwoot, desired: chatwootDesired, secrets: secrets, current: off)
        #expect(turningOn[key] == true)
        let changing = try await sentBody(
            version, .chatwoot, desired: chatwootDesired.merging([.chatwootSignMsg: .bool(false)]), secrets: secrets,
            current: on)
        #expect(changing[key] == false)
    }

    @Test func disablingChatwootSendsTheSevenRequiredKeys() async throws {
        let desired = InstanceConfiguration([.chatwootEnabled: .bool(false)])
        let v1 = try await sentBody(.v1, .chatwoot, desired: desired, current: nil)
        #expect(
            v1
                == [
                    "enabled": false, "account_id": "", "token": "", "url": "", "sign_msg": false,
                    "reopen_conversation": false, "conversation_pending": false,
                ])
        let v2 = try await sentBody(.v2, .chatwoot, desired: desired, current: nil)
        #expect(
            v2
                == [
                    "enabled": false, "accountId": "", "token": "", "url": "", "signMsg": false,
                    "reopenConversation": false, "conversationPending": false, "signDelimiter": nil, "autoCreate": false,
                ])
    }

    @Test func enablingChatwootWithoutItsEssentialsIsRefusedBeforeSending() async {
        let transport = ScriptedTransport(sequence: [Reply.json(201, "{}")])
        await #expect {
            try await Fixture.client(.v1, transport).set(
                .chatwoot, of: "sales01", desired: chatwootDesired, secrets: [:], current: nil)
        } throws: { error in
            guard case .validation(_, let messages) = error as? RemoteError else { return false }
            return messages == ["enabling Chatwoot needs chatwoot_token"]
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func aServerValidationErrorCarriesTheServersMessages() async {
        let transport = ScriptedTransport(sequence: [Reply.error(400, [#"webhook requires property "enabled""#])])
        await #expect {
            try await Fixture.client(.v2, transport).set(
                .webhook, of: "sales01", desired: InstanceConfiguration([.webhookURL: .string("https://h.example.com")]),
                secrets: [:], current: nil)
        } throws: { error in
            guard case .validation(let context, let messages) = error as? RemoteError else { return false }
            return context.status == 400 && messages == [#"webhook requires property "enabled""#]
        }
        #expect(transport.requests.count == 1)
    }
}

extension InstanceConfiguration {
    func merging(_ other: [Field: FieldValue]) -> InstanceConfiguration {
        var copy = self
        for (field, value) in other { copy[field] = value }
        return copy
    }
}
