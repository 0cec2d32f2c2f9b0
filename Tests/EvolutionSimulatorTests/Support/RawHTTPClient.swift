import Foundation
import Glibc

@testable import EvolutionSimulator

/// A response read off a raw socket.
struct RawResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON (nil for an empty body); fails the test on invalid JSON.
    var json: WireJSON? {
        guard !body.isEmpty else { return nil }
        return try? WireJSONParser.parse(body)
    }
}

/// A blocking HTTP/1.1 client on one keep-alive socket, for tests. Every call runs on a
/// dedicated thread (`RawHTTPClient.offPool`) so tests never block Swift's cooperative pool.
final class RawConnection: @unchecked Sendable {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    enum Failure: Error, Equatable {
        case connect(Int32)
        case closed
        case timeout
        case malformed(String)
    }

    init(port: Int, timeoutSeconds: Int = 15) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw Failure.connect(code)
        }
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure.closed }
            offset += sent
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Reads more bytes; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        if count == 0 { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure.timeout }
        return false
    }

    /// Reads one response (Content-Length framed, as the simulator sends).
    func readResponse(forHead: Bool = false) throws -> RawResponse {
        while true {
            if let end = findHeaderEnd() {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure.malformed(head) }
                let headers = lines.map { line -> (String, String) in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
                }
                let length = forHead ? 0 : Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
                while buffer.count < end + 4 + length {
                    guard try fill() else { throw Failure.closed }
                }
                let body = Array(buffer[(end + 4)..<(end + 4 + length)])
                buffer.removeFirst(end + 4 + length)
                return RawResponse(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: body)
            }
            guard try fill() else { throw Failure.closed }
        }
    }

    /// Whether the server closed the connection (reads until end of stream or timeout).
    func isClosedByPeer() -> Bool {
        do {
            while try fill() {}
            return true
        } catch {
            return false
        }
    }

    private func findHeaderEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// Sends one request and reads its response.
    func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> RawResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + (body ?? []))
        return try readResponse(forHead: method == "HEAD")
    }
}

/// Runs blocking work on its own thread and awaits the result.
enum RawHTTPClient {
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
            thread.start()
        }
    }
}

/// A JSON API client over one keep-alive connection, with the global key by default.
final class APIClient: @unchecked Sendable {
    let connection: RawConnection
    let apiKey: String?

    init(port: Int, apiKey: String? = "change-me") throws {
        connection = try RawConnection(port: port)
        self.apiKey = apiKey
    }

    /// Sends a request (JSON body with `Content-Type: application/json` when given) off the pool.
    func call(
        _ method: String, _ target: String, json: String? = nil, apiKey: String?? = .none,
        contentType: String? = "application/json", headers extra: [(String, String)] = []
    ) async throws -> RawResponse {
        var headers: [(String, String)] = []
        let key = apiKey ?? self.apiKey
        if let key { headers.append(("apikey", key)) }
        if json != nil, let contentType { headers.append(("Content-Type", contentType)) }
        headers.append(contentsOf: extra)
        let body = json.map { Array($0.utf8) }
        let connection = connection
        let sendable = headers.map { SendableHeader(name: $0.0, value: $0.1) }
        return try await RawHTTPClient.offPool {
            try connection.request(method, target, headers: sendable.map { ($0.name, $0.value) }, body: body)
        }
    }
}

struct SendableHeader: Sendable {
    var name: String
    var value: String
}

/// Starts a simulator for one test and always stops it.
func withSimulator(
    _ configuration: SimulatorConfiguration, _ body: (EvolutionSimulator, APIClient) async throws -> Void
) async throws {
    let simulator = try await EvolutionSimulator.start(configuration)
    do {
        let client = try APIClient(port: simulator.port)
        try await body(simulator, client)
    } catch {
        await simulator.stop()
        throw error
    }
    await simulator.stop()
}

/// Parses JSON text in a test (crashes the test on invalid literals, which are bugs in the test).
func json(_ text: String) -> WireJSON {
    do {
        return try WireJSONParser.parse(Array(text.utf8))
    } catch {
        fatalError("invalid JSON literal in a test: \(error.message): \(text)")
    }
}

/// `value` with the values of volatile keys (generated ids, timestamps) replaced by
/// `"<volatile>"` at any depth, so whole bodies can be compared with the reference.
func masked(_ value: WireJSON?, keys: Set<String> = ["instanceId", "id", "createdAt", "updatedAt"]) -> WireJSON? {
    guard let value else { return nil }
    switch value {
    case .object(let object):
        var result = WireObject()
        for entry in object.entries {
            result[entry.key] = keys.contains(entry.key) && entry.value != .null ? "<volatile>" : masked(entry.value, keys: keys)
        }
        return .object(result)
    case .array(let values):
        return .array(values.map { masked($0, keys: keys)! })
    default:
        return value
    }
}

/// Whether `text` is an upper-case version 4 UUID, as the server generates tokens.
func isUpperCaseUUID(_ text: String?) -> Bool {
    guard let text, text.count == 36 else { return false }
    let parts = text.split(separator: "-")
    return parts.map(\.count) == [8, 4, 4, 4, 12] && text.allSatisfy { $0 == "-" || $0.isNumber || ("A"..."F").contains($0) }
        && parts[2].first == "4"
}

extension WireJSON {
    /// The error envelope's messages.
    var envelopeMessage: WireJSON? { self["response"]?["message"] }
}
