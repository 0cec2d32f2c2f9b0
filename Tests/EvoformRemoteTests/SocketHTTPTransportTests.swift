import Foundation
import Testing

@testable import EvoformRemote

@Suite struct SocketHTTPTransportTests {
    static let ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"

    func request(_ method: String, _ url: URL, path: String = "/x", body: String? = nil, timeout: Int = 10) -> HTTPRequest {
        HTTPRequest(
            method: method, url: url.appendingPathComponent(path), headers: ["apikey": "k"], body: body.map { Data($0.utf8) },
            timeoutSeconds: timeout)
    }

    @Test func readsAndWritesShareOneKeepAliveConnection() async throws {
        let server = try RawHTTPServer { connection in
            while let head = connection.readRequest() {
                connection.send(Self.ok)
                if head.contains("Connection: close") { break }
            }
            connection.close()
        }
        defer { server.stop() }
        // Idle connections stay reusable however slowly a loaded machine runs the test.
        let transport = SocketHTTPTransport(maximumIdle: .seconds(3600))
        for method in ["GET", "GET", "POST", "DELETE", "GET"] {
            let response = try await transport.send(request(method, server.url, body: method == "POST" ? "{}" : nil))
            #expect(response.status == 200)
            #expect(response.body == Data("{\"ok\":true}".utf8))
            #expect(response.header("Content-Type") == "application/json")
        }
        #expect(server.accepted == 1)
        let heads = server.requestHeads
        #expect(heads.count == 5)
        #expect(heads.allSatisfy { !$0.contains("Connection: close") })
        #expect(heads.first { $0.hasPrefix("POST ") }?.contains("Content-Length: 2") == true)
        #expect(heads.allSatisfy { $0.contains("Host: 127.0.0.1:\(server.port)") && $0.contains("apikey: k") })
    }

    @Test func aWriteWhoseKeptAliveConnectionClosesAfterTakingItIsLostNotResent() async throws {
        let server = try RawHTTPServer { connection in
            // Answer the first request, keep-alive advertised; take the second and drop it.
            if connection.readRequest() != nil { connection.send(Self.ok) }
            _ = connection.readRequest()
            connection.close()
        }
        defer { server.stop() }
        let transport = SocketHTTPTransport(maximumIdle: .seconds(3600))
        #expect(try await transport.send(request("GET", server.url)).status == 200)
        await #expect(
            throws: TransportFailure(kind: .connectionLost, detail: "the server closed a kept-alive connection without answering")
        ) {
            try await transport.send(request("POST", server.url, body: "{}"))
        }
        // The POST may have been applied: it is not sent again.
        #expect(server.requestHeads.count == 2)
        #expect(server.accepted == 1)
    }

    @Test func aWriteWhoseConnectionClosesWithoutAnAnswerIsLostAtOnceAndNotResent() async throws {
        let server = try RawHTTPServer { connection in
            _ = connection.readRequest()
            connection.close()
        }
        defer { server.stop() }
        await #expect(throws: TransportFailure(kind: .connectionLost, detail: "the server closed the connection before answering")) {
            try await SocketHTTPTransport().send(request("POST", server.url, body: "{}"))
        }
        #expect(server.requestHeads.count == 1)
    }

    @Test func aReadWhoseIdleConnectionTheServerClosedIsSentOnANewOne() async throws {
        let server = try RawHTTPServer { connection in
            // Answer one request, keep-alive advertised, then drop the connection.
            if connection.readRequest() != nil { connection.send(Self.ok) }
            connection.close()
        }
        defer { server.stop() }
        let transport = SocketHTTPTransport()
        for _ in 0..<3 {
            #expect(try await transport.send(request("GET", server.url)).status == 200)
        }
        #expect(server.accepted == 3)
    }

    @Test func aClosedPortIsRefused() async throws {
        let port = try RawHTTPServer.unusedPort()
        let url = URL(string: "http://127.0.0.1:\(port)")!
        do {
            _ = try await SocketHTTPTransport().send(request("GET", url))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .refused)
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try RawHTTPServer { connection in
            _ = connection.readRequest()
            // Never answers; the client gives up, then this read ends.
            _ = connection.readRequest()
            connection.close()
        }
        defer { server.stop() }
        do {
            _ = try await SocketHTTPTransport().send(request("GET", server.url, timeout: 1))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timeout)
        }
    }

    @Test func aChunkedAnswerAndAnAnswerEndedByTheCloseAreRead() async throws {
        let server = try RawHTTPServer { connection in
            guard let head = connection.readRequest() else { return connection.close() }
            if head.hasPrefix("GET /chunked") {
                connection.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n")
                _ = connection.readRequest()
            } else {
                connection.send("HTTP/1.0 200 OK\r\n\r\n[1]")
            }
            connection.close()
        }
        defer { server.stop() }
        let transport = SocketHTTPTransport()
        #expect(try await transport.send(request("GET", server.url, path: "/chunked")).body == Data("[]".utf8))
        #expect(try await transport.send(request("GET", server.url, path: "/closed")).body == Data("[1]".utf8))
    }

    @Test func requestsAreWrittenAsHTTP11WithTheEncodedTargetAndABodyLength() throws {
        let url = URL(string: "http://example.test:8080/base/instance/fetchInstances?instanceName=a%20b")!
        let bytes = try #require(
            SocketHTTPTransport.serialize(
                HTTPRequest(method: "POST", url: url, headers: ["apikey": "k"], body: Data("{}".utf8), timeoutSeconds: 1)))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "POST /base/instance/fetchInstances?instanceName=a%20b HTTP/1.1\r\nHost: example.test:8080\r\n"
                + "User-Agent: evoform\r\napikey: k\r\nContent-Length: 2\r\n\r\n{}")
        let get = try #require(
            SocketHTTPTransport.serialize(HTTPRequest(method: "GET", url: URL(string: "http://h")!, timeoutSeconds: 1)))
        #expect(String(decoding: get, as: UTF8.self) == "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: evoform\r\n\r\n")
    }

    @Test func throughAProxyTheRequestLineNamesTheWholeURLAndOnlyTheProxysCredentialsGo() throws {
        let request = HTTPRequest(
            method: "POST", url: URL(string: "http://h:8080/instance/create?x=1")!,
            headers: ["apikey": "k", "Proxy-Authorization": "forged"], body: Data("{}".utf8), timeoutSeconds: 1)
        let bytes = try #require(SocketHTTPTransport.serialize(request, absoluteForm: true, proxyAuthorization: "Basic YTpi"))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "POST http://h:8080/instance/create?x=1 HTTP/1.1\r\nHost: h:8080\r\nUser-Agent: evoform\r\n"
                + "Proxy-Authorization: Basic YTpi\r\napikey: k\r\nContent-Length: 2\r\n\r\n{}")
        let direct = try #require(SocketHTTPTransport.serialize(request))
        #expect(!String(decoding: direct, as: UTF8.self).contains("Proxy-Authorization"))
    }
}
