// URLSessionTransport is not built on Linux (the socket transport's own tests cover it there).
#if !os(Linux)
import EvoformCore
import EvoformRemote
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real transport over loopback sockets.
@Suite struct URLSessionTransportTests {
    func request(_ url: URL, method: String = "GET", body: Data? = nil, timeout: Int = 5) -> HTTPRequest {
        HTTPRequest(
            method: method, url: url.appendingPathComponent("instance/fetchInstances"), headers: ["apikey": "k"], body: body,
            timeoutSeconds: timeout)
    }

    /// Without the delegate that cancels the challenge, corelibs-foundation 6.3.1 hangs here
    /// (past the request timeout), hence the time limit.
    @Test(.timeLimit(.minutes(1))) func aProxysAuthenticationChallengeIsAnImmediate401() async throws {
        let responder = try CannedResponder(
            .respond(
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"proxy\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            ))
        defer { responder.stop() }
        let client = EvolutionClient(
            endpoint: ServerEndpoint(url: responder.url, apiKey: Secret("wrong-key"), version: .v2, timeoutSeconds: 30))
        await #expect {
            _ = try await client.listInstances()
        } throws: { error in
            guard let remote = error as? RemoteError, remote.isUnauthorized else { return false }
            return remote.context.status == 401 && !remote.userMessage.contains("wrong-key")
        }
        #expect(client.requestCount == 1)
    }

    @Test func statusHeadersAndBodyComeThrough() async throws {
        let body = #"[{"id":"1","name":"s","connectionStatus":"open","token":"t"}]"#
        let responder = try CannedResponder(
            .respond(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Trace: abc\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            ))
        defer { responder.stop() }
        let response = try await URLSessionTransport().send(request(responder.url))
        #expect(response.status == 200)
        #expect(response.header("x-trace") == "abc")
        #expect(String(decoding: response.body, as: UTF8.self) == body)
    }

    @Test func nothingListeningIsRefused() async throws {
        let port = try Self.unusedPort()
        await #expect {
            _ = try await URLSessionTransport().send(request(URL(string: "http://127.0.0.1:\(port)")!))
        } throws: { error in
            (error as? TransportFailure)?.kind == .refused
        }
    }

    @Test func silenceIsATimeoutAfterTheWholeSeconds() async throws {
        let responder = try CannedResponder(.silent)
        defer { responder.stop() }
        await #expect {
            _ = try await URLSessionTransport().send(request(responder.url, timeout: 1))
        } throws: { error in
            (error as? TransportFailure)?.kind == .timeout
        }
    }

    @Test func aConnectionClosedWithoutAnswerIsLost() async throws {
        let responder = try CannedResponder(.close)
        defer { responder.stop() }
        await #expect {
            _ = try await URLSessionTransport().send(
                request(responder.url, method: "POST", body: Data("{}".utf8)))
        } throws: { error in
            (error as? TransportFailure)?.kind == .connectionLost
        }
    }

    @Test func aLostCreateAnswerOverRealHTTPIsOutcomeUnknown() async throws {
        let responder = try CannedResponder(.close)
        defer { responder.stop() }
        let client = EvolutionClient(
            endpoint: ServerEndpoint(url: responder.url, apiKey: Secret("k"), version: .v1, timeoutSeconds: 5))
        await #expect {
            _ = try await client.create(DesiredInstance(name: "s"))
        } throws: { error in
            (error as? RemoteError)?.isOutcomeUnknown == true
        }
        #expect(client.requestCount == 1)
    }

    /// A loopback port nothing listens on (bound, then released).
    static func unusedPort() throws -> UInt16 {
        let probe = try CannedResponder(.close)
        let port = probe.port
        probe.stop()
        return port
    }
}
#endif
