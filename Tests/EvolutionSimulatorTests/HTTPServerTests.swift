import Foundation
import Testing

@testable import EvolutionSimulator

@Suite("HTTP server over sockets")
struct HTTPServerTests {
    let configuration = SimulatorConfiguration(apiVersion: .v2)

    @Test("a malformed request gets a bare 400 and the connection is closed")
    func malformedCloses() async throws {
        try await withSimulator(configuration) { simulator, _ in
            let port = simulator.port
            let (status, connectionHeader, closed) = try await RawHTTPClient.offPool {
                let connection = try RawConnection(port: port)
                try connection.send("GET /instance/fetchInstances HTTP/1.1\r\nHost: h\r\nbad header\r\n\r\n")
                let response = try connection.readResponse()
                return (response.status, response.header("Connection"), connection.isClosedByPeer())
            }
            #expect(status == 400)
            #expect(connectionHeader == "close")
            #expect(closed)
        }
    }

    @Test("a body over the limit gets 413 in the error envelope, then close")
    func bodyTooLarge() async throws {
        var small = configuration
        small.maxBodyBytes = 64
        try await withSimulator(small) { simulator, _ in
            let port = simulator.port
            let (response, closed) = try await RawHTTPClient.offPool {
                let connection = try RawConnection(port: port)
                try connection.send(
                    "POST /instance/create HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                let response = try connection.readResponse()
                return (response, connection.isClosedByPeer())
            }
            #expect(response.status == 413)
            #expect(response.json == json(#"{"status":413,"error":"Internal Server Error","response":{"message":"request entity too large"}}"#))
            #expect(closed)
        }
    }

    @Test("oversized headers get 431")
    func headersTooLarge() async throws {
        try await withSimulator(configuration) { simulator, _ in
            let port = simulator.port
            let status = try await RawHTTPClient.offPool {
                let connection = try RawConnection(port: port)
                try connection.send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n")
                return try connection.readResponse().status
            }
            #expect(status == 431)
        }
    }

    @Test("keep-alive, pipelining, HEAD and 100-continue on one connection")
    func keepAliveAndPipelining() async throws {
        try await withSimulator(configuration) { simulator, _ in
            let port = simulator.port
            let statuses = try await RawHTTPClient.offPool { () -> [Int] in
                let connection = try RawConnection(port: port)
                var statuses: [Int] = []
                let create = #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#
                try connection.send(
                    "POST /instance/create HTTP/1.1\r\nHost: h\r\napikey: change-me\r\nContent-Type: application/json\r\nContent-Length: \(create.utf8.count)\r\n\r\n\(create)"
                        + "GET /instance/connectionState/a HTTP/1.1\r\nHost: h\r\napikey: change-me\r\n\r\n"
                        + "GET /nope HTTP/1.1\r\nHost: h\r\n\r\n")
                for _ in 0..<3 { statuses.append(try connection.readResponse().status) }
                let head = try connection.request("HEAD", "/", headers: [])
                statuses.append(head.status)
                if head.body.isEmpty && head.header("Content-Length") != "0" { statuses.append(-1) }
                try connection.send(
                    "POST /verify-creds HTTP/1.1\r\nHost: h\r\napikey: change-me\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
                statuses.append(try connection.readResponse().status)
                try connection.send("{}")
                statuses.append(try connection.readResponse().status)
                return statuses
            }
            #expect(statuses == [201, 200, 404, 200, -1, 100, 200])
        }
    }

    @Test("Connection: close is honoured")
    func connectionClose() async throws {
        try await withSimulator(configuration) { simulator, _ in
            let port = simulator.port
            let (status, closed) = try await RawHTTPClient.offPool {
                let connection = try RawConnection(port: port)
                let response = try connection.request("GET", "/", headers: [("Connection", "close")])
                return (response.status, connection.isClosedByPeer())
            }
            #expect(status == 200)
            #expect(closed)
        }
    }

    @Test("200 concurrent keep-alive clients, each making several requests")
    func manyConcurrentClients() async throws {
        try await withSimulator(configuration) { simulator, client in
            let port = simulator.port
            let clientCount = 200
            let requestsPerClient = 5
            let results = try await RawHTTPClient.offPool { () -> [[Int]] in
                let results = ResultBox(count: clientCount)
                let group = DispatchGroup()
                // Connect everyone first so all 200 connections are open at the same time.
                let connections = try (0..<clientCount).map { _ in try RawConnection(port: port) }
                for index in 0..<clientCount {
                    group.enter()
                    let thread = Thread {
                        defer { group.leave() }
                        var statuses: [Int] = []
                        let connection = connections[index]
                        let name = "c\(index)"
                        let body = Array(#"{"instanceName":"\#(name)","integration":"WHATSAPP-BAILEYS"}"#.utf8)
                        let headers = [("apikey", "change-me"), ("Content-Type", "application/json")]
                        do {
                            statuses.append(try connection.request("POST", "/instance/create", headers: headers, body: body).status)
                            for _ in 1..<requestsPerClient {
                                statuses.append(try connection.request("GET", "/webhook/find/\(name)", headers: headers).status)
                            }
                        } catch {
                            statuses.append(-1)
                        }
                        results.set(index, statuses)
                    }
                    thread.stackSize = 256 * 1024
                    thread.start()
                }
                group.wait()
                return results.values
            }
            #expect(results.allSatisfy { $0 == [201] + [Int](repeating: 200, count: requestsPerClient - 1) })
            #expect(await simulator.instanceNames().count == clientCount)
            let fetched = try await client.call("GET", "/instance/fetchInstances")
            #expect(fetched.json?.arrayValue?.count == clientCount)
        }
    }

    @Test("stop closes open connections and the listener")
    func stopClosesConnections() async throws {
        let simulator = try await EvolutionSimulator.start(configuration)
        let port = simulator.port
        let connection = try await RawHTTPClient.offPool { () -> RawConnection in
            let connection = try RawConnection(port: port)
            _ = try connection.request("GET", "/")
            return connection
        }
        await simulator.stop()
        let closed = try await RawHTTPClient.offPool { connection.isClosedByPeer() }
        #expect(closed)
        let refused = try await RawHTTPClient.offPool { () -> Bool in
            do {
                _ = try RawConnection(port: port)
                return false
            } catch {
                return true
            }
        }
        #expect(refused)
    }

    @Test("a held answer does not block other connections")
    func heldAnswerDoesNotBlock() async throws {
        var slow = configuration
        slow.qrDelayMilliseconds = 5000
        try await withSimulator(slow) { simulator, _ in
            let port = simulator.port
            let order = CompletionOrder()
            let held = Task {
                let status = try await RawHTTPClient.offPool {
                    try RawConnection(port: port).request(
                        "POST", "/instance/create", headers: [("apikey", "change-me"), ("Content-Type", "application/json")],
                        body: Array(#"{"instanceName":"qr","integration":"WHATSAPP-BAILEYS","qrcode":true}"#.utf8)
                    ).status
                }
                order.record("held")
                return status
            }
            // The create is applied at once; only its answer is held back.
            while await simulator.instanceNames().isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            let other = try APIClient(port: port)
            #expect(try await other.call("GET", "/instance/connectionState/qr").json?["instance"]?["state"] == "connecting")
            order.record("other")
            #expect(try await held.value == 201)
            #expect(order.events == ["other", "held"])
        }
    }

    @Test("with latency, requests are still answered and applied")
    func latency() async throws {
        var slow = configuration
        slow.latencyMilliseconds = 30
        try await withSimulator(slow) { simulator, client in
            let created = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(created.status == 201)
            #expect(await simulator.instanceNames() == ["a"])
        }
    }
}

/// Collects per-client results from many threads.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [[Int]]

    init(count: Int) { storage = [[Int]](repeating: [], count: count) }

    func set(_ index: Int, _ value: [Int]) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [[Int]] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// Records which of several concurrent events finished first.
final class CompletionOrder: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    func record(_ event: String) {
        lock.lock()
        storage.append(event)
        lock.unlock()
    }

    var events: [String] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
