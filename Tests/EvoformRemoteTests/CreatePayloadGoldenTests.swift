import EvoformCore
import EvoformRemote
import Foundation
import Testing

/// The three documented create examples (`shared/seed/create-instance.md`: basic, webhook,
/// Chatwoot) as the manifest would hand them over. Tokens are fixture values, not secrets.
enum DocumentedExample: String, CaseIterable, Sendable {
    case basic, webhook, chatwoot

    var desired: DesiredInstance {
        switch self {
        case .basic:
            return DesiredInstance(
                name: "sales01", configuration: InstanceConfiguration([.qrcode: .bool(true)]),
                secrets: [.token: Secret("sales01-token-0001")])
        case .webhook:
            return DesiredInstance(
                name: "support01",
                configuration: InstanceConfiguration([
                    .qrcode: .bool(true),
                    .webhookURL: .string("https://hooks.example.com/support"),
                    .webhookByEvents: .bool(false),
                    .webhookEvents: .events(
                        .only([
                            "QRCODE_UPDATED", "MESSAGES_UPSERT", "MESSAGES_UPDATE", "MESSAGES_DELETE", "SEND_MESSAGE",
                            "CONNECTION_UPDATE",
                        ])),
                ]),
                secrets: [.token: Secret("support01-token-0001")])
        case .chatwoot:
            return DesiredInstance(
                name: "helpdesk",
                configuration: InstanceConfiguration([
                    .qrcode: .bool(true),
                    .chatwootAccountID: .integer(1),
                    .chatwootURL: .string("https://app.chatwoot.com"),
                    .chatwootSignMsg: .bool(true),
                ]),
                secrets: [.token: Secret("helpdesk-token-0001"), .chatwootToken: Secret("chatwoot-token-example")])
        }
    }
}

/// Byte-compares the create bodies with `Tests/Fixtures/payloads/{v1,v2}/*.json` (canonical
/// JSON, sorted keys, one trailing newline). Re-record with
/// `EVOFORM_RECORD=1 swift test --filter CreatePayloadGoldenTests`.
@Suite struct CreatePayloadGoldenTests {
    static let cases: [(APIVersion, DocumentedExample)] = APIVersion.allCases.flatMap { version in
        DocumentedExample.allCases.map { (version, $0) }
    }

    @Test(arguments: cases)
    func createBodyMatchesItsGoldenFile(version: APIVersion, example: DocumentedExample) async throws {
        let body = try await Self.sentBody(version, example)
        let text = String(decoding: body, as: UTF8.self) + "\n"
        let file = Self.fixtures.appendingPathComponent("\(version.rawValue)/\(example.rawValue).json")
        if ProcessInfo.processInfo.environment["EVOFORM_RECORD"] == "1" {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(text == golden, "re-record with EVOFORM_RECORD=1 if the change is intended")
    }

    @Test(.disabled(if: ProcessInfo.processInfo.environment["EVOFORM_RECORD"] == "1", "recording"))
    func goldenFilesHoldTheVersionSpecificShapes() throws {
        func load(_ version: APIVersion, _ example: DocumentedExample) throws -> JSONValue {
            let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("\(version.rawValue)/\(example.rawValue).json"))
            return try JSONDecoder().decode(JSONValue.self, from: data)
        }
        // v1: flat documented names, numeric account id, no integration.
        let v1Webhook = try load(.v1, .webhook)
        #expect(v1Webhook["webhook"] == "https://hooks.example.com/support")
        #expect(v1Webhook["webhook_by_events"] == false)
        #expect(v1Webhook["events"]?.arrayValue?.count == 6)
        #expect(v1Webhook["integration"] == nil)
        let v1Chatwoot = try load(.v1, .chatwoot)
        #expect(v1Chatwoot["chatwoot_account_id"] == 1)
        #expect(v1Chatwoot["chatwoot_reopen_conversation"] == false)
        #expect(v1Chatwoot["chatwoot_conversation_pending"] == false)
        // v2: integration, nested webhook with events and enabled, account id as a string.
        for example in DocumentedExample.allCases {
            #expect(try load(.v2, example)["integration"] == "WHATSAPP-BAILEYS")
        }
        let v2Webhook = try load(.v2, .webhook)
        #expect(v2Webhook["webhook"]?["enabled"] == true)
        #expect(v2Webhook["webhook"]?["byEvents"] == false)
        #expect(v2Webhook["webhook"]?["events"]?.arrayValue?.count == 6)
        #expect(try load(.v2, .chatwoot)["chatwootAccountId"] == "1")
    }

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/payloads")
    }

    static func sentBody(_ version: APIVersion, _ example: DocumentedExample) async throws -> Data {
        let transport = ScriptedTransport(sequence: [Reply.json(201, "{}")])
        let client = Fixture.client(version == .v1 ? .v1 : .v2, transport)
        _ = try await client.create(example.desired)
        #expect(transport.calls == ["POST /instance/create"])
        return try #require(transport.requests.first?.body)
    }
}
