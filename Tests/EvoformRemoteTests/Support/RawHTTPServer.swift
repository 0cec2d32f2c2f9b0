import Foundation
import Glibc

/// A loopback TCP server for transport tests: every accepted connection runs `script` on its
/// own thread with blocking I/O, so a test decides exactly when the server answers or closes.
final class RawHTTPServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var acceptedCount = 0
    private var heads: [String] = []

    /// Connections accepted so far.
    var accepted: Int { lock.withLock { acceptedCount } }
    /// Every request head read through `RawConnection.readRequest`, in order.
    var requestHeads: [String] { lock.withLock { heads } }

    init(script: @escaping @Sendable (RawConnection) -> Void) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, bound == 0, listen(descriptor, 64) == 0 else {
            throw POSIXError(.EADDRNOTAVAIL)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else {
                    // Closed only here, once no accept can run on it: a descriptor number closed
                    // earlier could be reused by another test's socket meanwhile.
                    close(listener)
                    return
                }
                lock.withLock { acceptedCount += 1 }
                let raw = RawConnection(descriptor: connection) { head in self.lock.withLock { self.heads.append(head) } }
                let worker = Thread { script(raw) }
                worker.start()
            }
        }
        thread.start()
    }

    /// The base URL, e.g. `http://127.0.0.1:PORT`.
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Stops accepting (the accept thread closes the listener as it ends).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// A port on which nothing listens (bound, then closed at once).
    static func unusedPort() throws -> Int {
        let server = try RawHTTPServer { $0.close() }
        let port = server.port
        server.stop()
        return port
    }
}

/// One accepted connection, with blocking helpers.
final class RawConnection: @unchecked Sendable {
    let descriptor: Int32
    private let record: (String) -> Void
    private var pending: [UInt8] = []

    init(descriptor: Int32, record: @escaping (String) -> Void) {
        self.descriptor = descriptor
        self.record = record
    }

    /// Reads one request (head and `Content-Length` body) and returns its head; nil when the
    /// client closed first.
    func readRequest() -> String? { readRequestWithBody()?.head }

    /// Reads one request with its `Content-Length` body; nil when the client closed first.
    func readRequestWithBody() -> (head: String, body: [UInt8])? {
        while true {
            if let end = headEnd() {
                let head = String(decoding: pending[..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                while pending.count < end + 4 + length { guard receive() else { return nil } }
                let body = Array(pending[(end + 4)..<(end + 4 + length)])
                pending.removeFirst(end + 4 + length)
                record(head)
                return (head, body)
            }
            guard receive() else { return nil }
        }
    }

    /// Bytes received but not yet read as a request (what follows a CONNECT's head).
    func takePending() -> [UInt8] {
        defer { pending = [] }
        return pending
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            offset += count
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func close() { Glibc.close(descriptor) }

    private func receive() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return false }
        pending.append(contentsOf: buffer[0..<count])
        return true
    }

    private func headEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4)
        where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index
        }
        return nil
    }
}
