import EvoformCore
import EvoformRemote
import Foundation
import Testing

@Suite struct RemoteErrorMessageTests {
    static let server = "http://127.0.0.1:8080"

    static func context(_ endpoint: Endpoint, _ instance: InstanceName?, status: Int?, attempts: Int = 1) -> RequestContext {
        RequestContext(server: server, endpoint: endpoint, instance: instance, status: status, attempts: attempts)
    }

    static let errors: [RemoteError] = [
        .unauthorized(context(.fetchInstances, nil, status: 401), messages: ["Unauthorized"]),
        .notFound(context(.delete, "sales01", status: 404), messages: [#"The "sales01" instance does not exist"#]),
        .nameInUse(context(.create, "sales01", status: 403), messages: [#"This name "sales01" is already in use."#]),
        .validation(context(.webhookSet, "sales01", status: 400), messages: [#"webhook requires property "enabled""#]),
        .server(context(.create, "sales01", status: 500, attempts: 1), messages: ["boom"]),
        .transport(context(.fetchInstances, nil, status: nil, attempts: 4), kind: .timeout, timeoutSeconds: 30),
        .transport(context(.root, nil, status: nil), kind: .refused, timeoutSeconds: 30),
        .transport(context(.root, nil, status: nil), kind: .dns, timeoutSeconds: 30),
        .transport(context(.root, nil, status: nil), kind: .tls, timeoutSeconds: 30),
        .transport(context(.root, nil, status: nil), kind: .connectionLost, timeoutSeconds: 30),
        .transport(context(.root, nil, status: nil), kind: .other, timeoutSeconds: 30),
        .outcomeUnknown(context(.create, "sales01", status: nil), cause: .connectionLost),
        .unexpectedResponse(context(.fetchInstances, nil, status: 200), detail: "fetchInstances did not return a list"),
        .deletionTimedOut(context(.fetchInstances, "sales01", status: nil), seconds: 300),
    ]

    @Test(arguments: errors)
    func everyMessageNamesTheServerAndTheEndpointOrWhatToDo(error: RemoteError) {
        let message = error.userMessage
        #expect(message.contains(Self.server))
        if case .deletionTimedOut = error {
            #expect(message.contains("\"sales01\""))
        } else {
            #expect(message.contains(error.context.endpoint.description))
        }
        if let instance = error.context.instance { #expect(message.contains("\"\(instance)\"")) }
        if let status = error.context.status { #expect(message.contains(String(status))) }
        for text in error.messages where text != "Unauthorized" { #expect(message.contains(text)) }
        #expect(!message.contains("\n"))
        #expect(error.exitStatus == .failure)
    }

    @Test func unauthorizedSuggestsTheKeyVariableAndShowsNoKey() {
        let message = Self.errors[0].userMessage
        #expect(message.contains("EVOLUTION_API_KEY"))
        #expect(message.contains("401"))
        #expect(message.contains("GET /instance/fetchInstances"))
    }

    @Test func transportMessagesSayWhatHappened() {
        #expect(Self.errors[5].userMessage.contains("within 30 s"))
        #expect(Self.errors[5].userMessage.contains("after 4 attempts"))
        #expect(Self.errors[6].userMessage.contains("connection refused"))
        #expect(Self.errors[7].userMessage.contains("cannot resolve"))
        #expect(Self.errors[8].userMessage.contains("TLS"))
    }

    @Test func aFailedCreateSaysToLookBeforeCreatingAgain() {
        #expect(Self.errors[4].userMessage.contains("evoform plan"))
        #expect(Self.errors[11].userMessage.contains("may or may not have applied"))
        #expect(Self.errors[2].userMessage.contains("evoform import sales01"))
    }

    @Test func chatwootSwitchedOffOnTheServerIsExplained() {
        let error = RemoteError.validation(
            Self.context(.chatwootSet, "sales01", status: 400), messages: ["Chatwoot is disabled"])
        #expect(error.userMessage.contains("CHATWOOT_ENABLED=true"))
    }

    @Test func serverMessagesEchoingASecretAreMasked() async {
        let key = Fixture.apiKey.revealed
        let transport = ScriptedTransport(sequence: [
            Reply.error(400, ["bad key \(key) and token chatwoot-secret-77 in body"])
        ])
        let desired = DesiredInstance(
            name: "sales01", secrets: [.token: Secret("instance-secret-55"), .chatwootToken: Secret("chatwoot-secret-77")])
        await #expect {
            _ = try await Fixture.client(.v1, transport).create(desired)
        } throws: { error in
            guard let remote = error as? RemoteError else { return false }
            let text = remote.userMessage + "\(remote)" + String(reflecting: remote)
            return !text.contains(key) && !text.contains("chatwoot-secret-77") && text.contains("(sensitive)")
        }
    }

    @Test func aBadKeyFailsFastWithoutTheKeyInTheMessage() async {
        let transport = ScriptedTransport(sequence: [
            Reply.json(401, #"{"status":401,"error":"Unauthorized","response":{"message":"Unauthorized"}}"#)
        ])
        await #expect {
            _ = try await Fixture.client(.v2, transport).listInstances()
        } throws: { error in
            guard let remote = error as? RemoteError, remote.isUnauthorized else { return false }
            return !remote.userMessage.contains(Fixture.apiKey.revealed) && !"\(remote)".contains(Fixture.apiKey.revealed)
        }
        #expect(transport.requests.count == 1)
    }

    @Test func anUnknownRouteIsAnUnexpectedResponseNotAMissingInstance() async {
        let transport = ScriptedTransport(sequence: [Reply.error(404, ["Cannot GET /webhook/find/sales01"])])
        await #expect {
            _ = try await Fixture.client(.v2, transport).observe(["sales01": [.webhook]], parallelism: 1)
        } throws: { error in
            guard case .unexpectedResponse = error as? RemoteError else { return false }
            return true
        }
    }

    @Test func theDisplayedServerHasNoUserInfoOrQuery() {
        let endpoint = ServerEndpoint(
            url: URL(string: "https://admin:pw@evo.example.com:8443/api/?x=1")!, apiKey: Secret("k"))
        #expect(endpoint.displayURL == "https://evo.example.com:8443/api")
    }
}

@Suite struct VersionAndEndpointTests {
    @Test(arguments: [("1.8.2", APIVersion.v1), ("2.3.6", .v2), ("v2.2.0", .v2), ("3.0.0", nil), ("", nil)])
    func theMajorVersionPicksTheDialect(text: String, expected: APIVersion?) {
        #expect(ServerInfo.apiVersion(of: text) == expected)
    }

    @Test func autoAsksTheServerOnceAndNeverSendsTheKeyToTheRoot() async throws {
        let transport = ScriptedTransport { request in
            switch request.url.path {
            case "/":
                return Reply.json(
                    200,
                    #"{"status":200,"message":"Welcome to the Evolution API, it is working!","version":"1.8.2","swagger":"http://localhost:8080/docs"}"#
                )
            default:
                return Reply.json(200, "[]")
            }
        }
        let client = Fixture.client(.auto, transport)
        async let first = client.apiVersion()
        async let second = client.apiVersion()
        #expect(try await [first, second] == [.v1, .v1])
        _ = try await client.listInstances()
        #expect(transport.calls == ["GET /", "GET /instance/fetchInstances"])
        #expect(transport.requests[0].headers["apikey"] == nil)
        #expect(transport.requests[1].headers["apikey"] == Fixture.apiKey.revealed)
        #expect(transport.requests.allSatisfy { $0.body == nil })
        #expect(client.requestCount == 2)
    }

    @Test func aForcedVersionAsksNothing() async throws {
        let transport = ScriptedTransport(sequence: [Reply.json(200, "[]")])
        #expect(try await Fixture.client(.v2, transport).apiVersion() == .v2)
        #expect(transport.requests.isEmpty)
    }

    @Test func anUnknownMajorVersionIsExplained() async {
        let transport = ScriptedTransport(sequence: [Reply.json(200, #"{"version":"3.0.0"}"#)])
        await #expect {
            _ = try await Fixture.client(.auto, transport).apiVersion()
        } throws: { error in
            guard case .unexpectedResponse(_, let detail) = error as? RemoteError else { return false }
            return detail.contains("3.0.0") && detail.contains("apiVersion")
        }
    }

    @Test func serverInfoReadsV2Details() async throws {
        let transport = ScriptedTransport(sequence: [
            Reply.json(
                200,
                #"{"status":200,"message":"Welcome to the Evolution API, it is working!","version":"2.3.6","clientName":"evolution","manager":"http://localhost:8080/manager","documentation":"https://doc.evolution-api.com","whatsappWebVersion":"2.3000.1027934751"}"#
            )
        ])
        let info = try await Fixture.client(.auto, transport).serverInfo()
        #expect(
            info
                == ServerInfo(
                    version: "2.3.6", apiVersion: .v2, clientName: "evolution", whatsappWebVersion: "2.3000.1027934751",
                    message: "Welcome to the Evolution API, it is working!"))
    }

    @Test(arguments: [
        ("sales01", "sales01"), ("my instance ", "my%20instance%20"), ("a/b", "a%2Fb"), ("50%", "50%25"),
        ("ação", "a%C3%A7%C3%A3o"), ("x?y#z", "x%3Fy%23z"), ("A-Z_.~", "A-Z_.~"),
    ])
    func instanceNamesArePercentEncodedAsOneSegment(name: String, encoded: String) {
        #expect(Endpoint.webhookSet.path(for: InstanceName(name)) == "/webhook/set/\(encoded)")
    }

    @Test func theEncodedNameReachesTheWire() async throws {
        let transport = ScriptedTransport(sequence: [Reply.json(200, #"{"instance":{"instanceName":"a/b c","state":"close"}}"#)])
        #expect(try await Fixture.client(.v2, transport).connectionState("a/b c") == .close)
        #expect(transport.requests[0].url.absoluteString == "http://127.0.0.1:8080/instance/connectionState/a%2Fb%20c")
    }

    @Test func connectReturnsAQRCodeOrNothingWhenAlreadyOpen() async throws {
        let qr = ScriptedTransport(sequence: [Reply.json(200, #"{"pairingCode":"WZYEH1YY","code":"2@x","base64":"data:image/png;base64,AAEC","count":2}"#)])
        let code = try await Fixture.client(.v2, qr).connect("s")
        #expect(code == QRCode(code: "2@x", pngData: Data([0, 1, 2]), pairingCode: "WZYEH1YY", count: 2))
        let open = ScriptedTransport(sequence: [Reply.json(200, #"{"instance":{"instanceName":"s","state":"open"}}"#)])
        #expect(try await Fixture.client(.v2, open).connect("s") == nil)
        let failed = ScriptedTransport(sequence: [Reply.json(200, #"{"error":true,"message":"[object Object]"}"#)])
        await #expect(throws: RemoteError.self) { _ = try await Fixture.client(.v2, failed).connect("s") }
        let empty = ScriptedTransport(sequence: [Reply.json(200, "")])
        await #expect(throws: RemoteError.self) { _ = try await Fixture.client(.v1, empty).connect("s") }
    }

    @Test func v1DeleteOfAnOpenInstanceLogsOutFirst() async throws {
        let states = ScriptedTransport(sequence: [
            Reply.error(400, [#"The "s" instance needs to be disconnected"#]),
            Reply.json(200, #"{"status":"SUCCESS","error":false,"response":{"message":"Instance logged out"}}"#),
            Reply.json(200, #"{"instance":{"instanceName":"s","state":"open"}}"#),
            Reply.json(200, #"{"instance":{"instanceName":"s","state":"close"}}"#),
            Reply.json(200, #"{"status":"SUCCESS","error":false,"response":{"message":"Instance deleted"}}"#),
        ])
        try await Fixture.client(.v1, states).delete("s")
        #expect(
            states.calls == [
                "DELETE /instance/delete/s", "DELETE /instance/logout/s", "GET /instance/connectionState/s",
                "GET /instance/connectionState/s", "DELETE /instance/delete/s",
            ])
    }

    @Test func waitUntilGonePollsUntilTheNameDisappearsOrTimesOut() async throws {
        let listed = #"[{"id":"1","name":"s","connectionStatus":"close","token":"t"}]"#
        let transport = ScriptedTransport(sequence: [Reply.json(200, listed), Reply.json(200, listed), Reply.json(200, "[]")])
        let timing = RecordedTiming()
        try await Fixture.client(.v2, transport, timing: timing).waitUntilGone("s", timeoutSeconds: 10)
        #expect(transport.requests.count == 3)
        #expect(timing.slept == [0.1, 0.2])

        let stuck = ScriptedTransport(sequence: [Reply.json(200, listed)])
        await #expect {
            try await Fixture.client(.v2, stuck, timing: RecordedTiming()).waitUntilGone("s", timeoutSeconds: 3)
        } throws: { error in
            guard case .deletionTimedOut(let context, 3) = error as? RemoteError else { return false }
            return context.instance == "s"
        }
    }
}

@Suite struct RequestPrintingTests {
    @Test func aRequestNeverPrintsItsKeyOrBody() {
        let request = HTTPRequest(
            method: "POST", url: URL(string: "http://127.0.0.1:8080/instance/create")!,
            headers: ["apikey": "GLOBAL-KEY-123"], body: Data(#"{"token":"instance-secret"}"#.utf8), timeoutSeconds: 30)
        for text in [String(describing: request), String(reflecting: request), "\(request)", dumped(request)] {
            #expect(!text.contains("GLOBAL-KEY-123"))
            #expect(!text.contains("instance-secret"))
            #expect(text.contains("/instance/create"))
        }
    }

    func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}
