/// Why a byte stream is not a request the server can answer. The connection answers with the
/// status and closes, because the stream cannot be resynchronised.
enum HTTPParseError: Error, Equatable {
    /// Not HTTP/1.x syntax: 400 (Node's parser answers a bare 400 and closes).
    case malformed(String)
    /// The header section exceeds the limit: 431.
    case headersTooLarge
    /// The body exceeds the limit: 413 (body-parser's `request entity too large`).
    case bodyTooLarge
    /// An HTTP version other than 1.0 and 1.1: 505.
    case unsupportedVersion

    var status: Int {
        switch self {
        case .malformed: 400
        case .headersTooLarge: 431
        case .bodyTooLarge: 413
        case .unsupportedVersion: 505
        }
    }
}

/// Size limits applied while parsing.
struct HTTPLimits: Sendable, Equatable {
    /// Request line plus headers, in bytes.
    var maxHeaderBytes = 16 * 1024
    /// Decoded body, in bytes.
    var maxBodyBytes = 8 * 1024 * 1024
}

/// An incremental HTTP/1.x request parser: feed it bytes as they arrive, in pieces of any size,
/// and take complete requests out. Bodies are framed by `Content-Length` or by chunked
/// transfer coding; anything else is an error.
struct HTTPRequestParser {
    var limits: HTTPLimits

    private var buffer: [UInt8] = []
    private var start = 0
    private var state = State.head
    /// Where the search for the end of the header section resumes.
    private var scanFrom = 0
    private var pending: PendingRequest?
    private var continueRequested = false

    private enum State: Equatable {
        case head
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case trailers
    }

    private struct PendingRequest {
        var method: String
        var target: String
        var version: HTTPVersion
        var headers: HTTPHeaders
        var body: [UInt8] = []
    }

    init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Adds received bytes.
    mutating func append<C: Collection<UInt8>>(_ bytes: C) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanFrom = max(0, scanFrom - start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The number of received bytes not yet consumed by a request.
    var bufferedByteCount: Int { buffer.count - start }

    /// True once, when a request's headers asked `Expect: 100-continue` and its body has not
    /// arrived yet: the connection should send `100 Continue`.
    mutating func takeContinueRequest() -> Bool {
        defer { continueRequested = false }
        return continueRequested
    }

    /// The next complete request, or nil when more bytes are needed.
    mutating func next() throws(HTTPParseError) -> HTTPRequest? {
        while true {
            switch state {
            case .head:
                guard try parseHead() else { return nil }
            case .body(let remaining):
                let available = buffer.count - start
                let take = min(available, remaining)
                if take > 0 {
                    pending!.body.append(contentsOf: buffer[start..<(start + take)])
                    start += take
                }
                if remaining - take > 0 {
                    state = .body(remaining: remaining - take)
                    return nil
                }
                return finish()
            case .chunkSize:
                guard let line = try takeLine(limit: 1024) else { return nil }
                let sizeText = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingWhitespace()
                // Hex digits only: `Int(_:radix:)` alone would take "-5" and "+5".
                guard !sizeText.isEmpty, sizeText.utf8.count <= 8, sizeText.utf8.allSatisfy(Self.isHexDigit),
                    let size = Int(sizeText, radix: 16)
                else {
                    throw .malformed("invalid chunk size")
                }
                if size == 0 {
                    state = .trailers
                } else {
                    guard pending!.body.count + size <= limits.maxBodyBytes else { throw .bodyTooLarge }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = buffer.count - start
                let take = min(available, remaining)
                if take > 0 {
                    pending!.body.append(contentsOf: buffer[start..<(start + take)])
                    start += take
                }
                if remaining - take > 0 {
                    state = .chunkData(remaining: remaining - take)
                    return nil
                }
                guard buffer.count - start >= 2 else {
                    state = .chunkData(remaining: 0)
                    return nil
                }
                guard buffer[start] == 0x0D, buffer[start + 1] == 0x0A else { throw .malformed("missing CRLF after chunk") }
                start += 2
                state = .chunkSize
            case .trailers:
                guard let line = try takeLine(limit: limits.maxHeaderBytes) else { return nil }
                if line.isEmpty { return finish() }
            }
        }
    }

    private mutating func finish() -> HTTPRequest {
        let request = pending!
        pending = nil
        state = .head
        scanFrom = start
        return HTTPRequest(
            method: request.method, target: request.target, version: request.version, headers: request.headers,
            body: request.body)
    }

    /// One CRLF-terminated line (without the CRLF), or nil if it has not fully arrived. A line
    /// longer than `limit` bytes is an error as soon as its `limit + 1`st byte is seen, so the
    /// outcome does not depend on how the bytes arrive.
    private mutating func takeLine(limit: Int) throws(HTTPParseError) -> String? {
        var index = start
        while index < buffer.count {
            if index - start > limit { throw .malformed("line too long") }
            if buffer[index] == 0x0D {
                guard index + 1 < buffer.count else { return nil }
                guard buffer[index + 1] == 0x0A else { throw .malformed("bare CR") }
                let line = String(decoding: buffer[start..<index], as: UTF8.self)
                start = index + 2
                return line
            }
            if buffer[index] == 0x0A { throw .malformed("bare LF") }
            index += 1
        }
        return nil
    }

    /// Parses the request line and headers once they are complete. Returns false when more
    /// bytes are needed.
    private mutating func parseHead() throws(HTTPParseError) -> Bool {
        // Node ignores empty lines before a request line.
        while buffer.count - start >= 2, buffer[start] == 0x0D, buffer[start + 1] == 0x0A {
            start += 2
        }
        scanFrom = max(scanFrom, start)
        // Like llhttp, reject at once a stream that cannot start with a method (a TLS
        // ClientHello sent to the plain port, say) rather than wait for a line end. Checked
        // before anything else, complete head or not, so the error does not depend on how the
        // bytes arrive (fuzz input `non-method-bytes-early-400-split`).
        if !methodPrefixIsPlausible() { throw .malformed("invalid method") }
        guard let end = findHeaderEnd() else {
            // Up to 3 bytes of the blank line may have arrived: they are not part of the head.
            if buffer.count - start > limits.maxHeaderBytes + 3 { throw .headersTooLarge }
            scanFrom = max(start, buffer.count - 3)
            return false
        }
        if end - start > limits.maxHeaderBytes { throw .headersTooLarge }
        let head = buffer[start..<end]
        start = end + 4
        scanFrom = start

        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            if head[index] == 0x0D {
                guard index + 1 < head.endIndex, head[index + 1] == 0x0A else { throw .malformed("bare CR") }
                lines.append(head[lineStart..<index])
                index += 2
                lineStart = index
                continue
            }
            if head[index] == 0x0A { throw .malformed("bare LF") }
            index += 1
        }
        lines.append(head[lineStart..<head.endIndex])

        let (method, target, version) = try parseRequestLine(lines[0])
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            headers.add(contentsOf: try parseHeaderLine(line))
        }
        if version == .http11 && headers.values("host").isEmpty { throw .malformed("missing Host header") }
        if headers.values("host").count > 1 { throw .malformed("duplicate Host header") }

        pending = PendingRequest(method: method, target: target, version: version, headers: headers)
        let transferEncodings = headers.values("transfer-encoding")
        let contentLengths = headers.values("content-length")
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else { throw .malformed("both Content-Length and Transfer-Encoding") }
            let codings = transferEncodings.joined(separator: ",").lowercased().split(separator: ",")
                .map { $0.trimmingWhitespace() }
            guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1 else {
                throw .malformed("unsupported Transfer-Encoding")
            }
            state = .chunkSize
        } else if !contentLengths.isEmpty {
            let values = Set(contentLengths.flatMap { $0.split(separator: ",").map { $0.trimmingWhitespace() } })
            guard values.count == 1, let text = values.first, !text.isEmpty, text.count <= 15,
                text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let length = Int(text)
            else { throw .malformed("invalid Content-Length") }
            guard length <= limits.maxBodyBytes else { throw .bodyTooLarge }
            state = .body(remaining: length)
        } else {
            state = .body(remaining: 0)
        }
        if state != .body(remaining: 0), headers["expect"]?.lowercased() == "100-continue", buffer.count == start {
            continueRequested = true
        }
        return true
    }

    private func findHeaderEnd() -> Int? {
        var index = scanFrom
        while index + 3 < buffer.count {
            if buffer[index] == 0x0D && buffer[index + 1] == 0x0A && buffer[index + 2] == 0x0D && buffer[index + 3] == 0x0A {
                return index
            }
            index += 1
        }
        return nil
    }

    private func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String, HTTPVersion) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("invalid request line") }
        guard Self.knownMethods.contains(String(decoding: parts[0], as: UTF8.self)) else { throw .malformed("invalid method") }
        guard let first = parts[1].first, first == UInt8(ascii: "/") || first == UInt8(ascii: "*") else {
            throw .malformed("invalid request target")
        }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { throw .malformed("invalid request target") }
        let versionText = String(decoding: parts[2], as: UTF8.self)
        let version: HTTPVersion
        switch versionText {
        case "HTTP/1.1": version = .http11
        case "HTTP/1.0": version = .http10
        default:
            let bytes = Array(versionText.utf8)
            if bytes.count == 8, versionText.hasPrefix("HTTP/"), bytes[6] == UInt8(ascii: "."),
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[5]),
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[7])
            {
                throw .unsupportedVersion
            }
            throw .malformed("invalid HTTP version")
        }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self), version)
    }

    private func parseHeaderLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformed("header without colon") }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(Self.isTokenCharacter) else { throw .malformed("invalid header name") }
        let value = line[(colon + 1)...]
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) || $0 >= 0x80 }) else {
            throw .malformed("invalid header value")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self).trimmingWhitespace())
    }

    /// Whether the bytes so far can begin with a known method: what comes before the first space
    /// or CR (or all there is) is a prefix of one. More bytes never turn a "no" into a "yes".
    private func methodPrefixIsPlausible() -> Bool {
        var prefix: [UInt8] = []
        var index = start
        while index < buffer.count, buffer[index] != 0x20, buffer[index] != 0x0D, prefix.count <= Self.longestMethod {
            prefix.append(buffer[index])
            index += 1
        }
        return Self.methodPrefixes.contains(prefix)
    }

    /// Every prefix of every known method, the empty one included.
    private static let methodPrefixes: Set<[UInt8]> = Set(
        knownMethods.flatMap { method in (0...method.utf8.count).map { Array(method.utf8.prefix($0)) } })
    private static let longestMethod = knownMethods.map(\.utf8.count).max() ?? 0

    /// The methods Node's parser (llhttp) accepts; anything else is a 400 before any routing.
    static let knownMethods: Set<String> = [
        "DELETE", "GET", "HEAD", "POST", "PUT", "CONNECT", "OPTIONS", "TRACE", "COPY", "LOCK", "MKCOL", "MOVE",
        "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK", "BIND", "REBIND", "UNBIND", "ACL", "REPORT", "MKACTIVITY",
        "CHECKOUT", "MERGE", "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "PATCH", "PURGE", "MKCALENDAR", "LINK",
        "UNLINK", "SOURCE", "QUERY",
    ]

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default:
            false
        }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension HTTPHeaders {
    fileprivate mutating func add(contentsOf field: (String, String)) { add(field.0, field.1) }
}
