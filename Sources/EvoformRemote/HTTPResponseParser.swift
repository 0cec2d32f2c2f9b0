import Foundation

/// Reads one HTTP/1.x response from bytes as they arrive: status line, headers, then a body
/// framed by `Content-Length`, `Transfer-Encoding: chunked`, or the end of the connection.
/// Interim `1xx` responses are skipped. Pure: no I/O, so every framing rule is unit-tested.
struct HTTPResponseParser {
    /// A complete response, and whether its connection may carry another request.
    struct Parsed {
        var response: HTTPResponse
        var keepAlive: Bool
    }

    struct Malformed: Error, Equatable {
        var detail: String
    }

    /// How the body ends.
    private enum Framing {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    private struct Head {
        var status: Int
        var headers: [String: String]
        var keepAlive: Bool
        var framing: Framing
    }

    /// The largest status line plus headers accepted.
    static let maximumHeadBytes = 64 * 1024

    /// Whether the request was a HEAD (its response never has a body).
    let isHead: Bool
    private var buffer: [UInt8] = []
    /// Where the current response (after skipped interim ones) starts in `buffer`.
    private var responseStart = 0
    /// How far the search for the end of the head has looked.
    private var headScanned = 0
    private var head: Head?
    private var bodyStart = 0
    // Chunked decoding state.
    private var chunkCursor = 0
    private var decodedBody: [UInt8] = []
    private var chunkedDone = false

    init(requestMethod: String) {
        isHead = requestMethod == "HEAD"
    }

    /// Whether any byte of a response arrived (a connection that closes before the first byte
    /// never answered at all).
    var hasReceivedBytes: Bool { !buffer.isEmpty }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// The response once it is complete; nil while more bytes are needed.
    mutating func response() throws(Malformed) -> Parsed? {
        while head == nil {
            guard try parseHead() else { return nil }
        }
        guard let head else { return nil }
        switch head.framing {
        case .none:
            return Parsed(response: HTTPResponse(status: head.status, headers: head.headers), keepAlive: head.keepAlive)
        case .length(let length):
            guard buffer.count - bodyStart >= length else { return nil }
            let body = Data(buffer[bodyStart..<(bodyStart + length)])
            return Parsed(
                response: HTTPResponse(status: head.status, headers: head.headers, body: body),
                keepAlive: head.keepAlive && buffer.count - bodyStart == length)
        case .chunked:
            guard try decodeChunks() else { return nil }
            return Parsed(
                response: HTTPResponse(status: head.status, headers: head.headers, body: Data(decodedBody)),
                keepAlive: head.keepAlive && chunkCursor == buffer.count)
        case .untilClose:
            return nil
        }
    }

    /// At the end of the stream: the response if the bytes so far make a complete one (a body
    /// delimited by the close), else nil (the answer was cut off).
    mutating func responseAtEndOfStream() throws(Malformed) -> Parsed? {
        if let parsed = try response() { return parsed }
        guard let head, case .untilClose = head.framing else { return nil }
        let body = Data(buffer[bodyStart...])
        return Parsed(response: HTTPResponse(status: head.status, headers: head.headers, body: body), keepAlive: false)
    }

    // MARK: - Head

    /// Parses the head when it is complete; true when a head was consumed (an interim `1xx`
    /// one is dropped and parsing starts over after it).
    private mutating func parseHead() throws(Malformed) -> Bool {
        guard let end = findHeadEnd() else {
            if buffer.count - responseStart > Self.maximumHeadBytes {
                throw Malformed(detail: "the response head is larger than \(Self.maximumHeadBytes) bytes")
            }
            return false
        }
        // Lines are split and read in the bytes: Foundation's string functions cost more than
        // the rest of an exchange.
        var lines: [Range<Int>] = []
        var lineStart = responseStart
        var index = responseStart
        while index + 1 < end {
            if buffer[index] == 13 && buffer[index + 1] == 10 {
                lines.append(lineStart..<index)
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(lineStart..<end)
        let (status, isHTTP10) = try Self.statusLine(buffer[lines[0]])
        var headers: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = buffer[line].firstIndex(of: UInt8(ascii: ":")) else {
                throw Malformed(detail: "a header line without a colon")
            }
            let name = String(decoding: buffer[line.lowerBound..<colon].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
            var valueStart = colon + 1
            var valueEnd = line.upperBound
            while valueStart < valueEnd && (buffer[valueStart] == 0x20 || buffer[valueStart] == 0x09) { valueStart += 1 }
            while valueEnd > valueStart && (buffer[valueEnd - 1] == 0x20 || buffer[valueEnd - 1] == 0x09) { valueEnd -= 1 }
            let value = String(decoding: buffer[valueStart..<valueEnd], as: UTF8.self)
            if let existing = headers[name] {
                headers[name] = existing + ", " + value
            } else {
                headers[name] = value
            }
        }
        let headEnd = end + 4
        if (100..<200).contains(status) && status != 101 {
            responseStart = headEnd
            headScanned = headEnd
            return true
        }
        let connection = Set(Self.tokens(headers["connection"] ?? "").map { $0.lowercased() })
        var keepAlive = isHTTP10 ? connection.contains("keep-alive") : !connection.contains("close")
        let framing: Framing
        if isHead || status == 204 || status == 304 {
            framing = .none
        } else if let encoding = headers["transfer-encoding"] {
            guard Self.tokens(encoding).last?.lowercased() == "chunked" else {
                throw Malformed(detail: "unsupported transfer encoding \"\(encoding)\"")
            }
            framing = .chunked
        } else if let lengthText = headers["content-length"] {
            let values = Set(Self.tokens(lengthText))
            guard values.count == 1, let value = values.first, let length = Int(value), length >= 0 else {
                throw Malformed(detail: "an invalid Content-Length \"\(lengthText)\"")
            }
            framing = length == 0 ? .none : .length(length)
        } else {
            framing = .untilClose
            keepAlive = false
        }
        head = Head(status: status, headers: headers, keepAlive: keepAlive, framing: framing)
        bodyStart = headEnd
        chunkCursor = headEnd
        return true
    }

    /// The comma-separated items of a header value, without surrounding spaces and tabs.
    private static func tokens(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false).map { item in
            String(item.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
    }

    /// `HTTP/1.x NNN reason`: the status, and whether the version is 1.0.
    private static func statusLine(_ line: ArraySlice<UInt8>) throws(Malformed) -> (Int, Bool) {
        let bytes = Array(line)
        let prefix = Array("HTTP/1.".utf8)
        guard bytes.count >= 12, Array(bytes[0..<7]) == prefix, bytes[8] == 0x20,
            bytes[9...11].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), bytes.count == 12 || bytes[12] == 0x20
        else {
            throw Malformed(detail: "not an HTTP/1.x status line")
        }
        let status = bytes[9...11].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (status, bytes[7] == UInt8(ascii: "0"))
    }

    /// The index of the blank line's `\r\n\r\n` that ends the head, if it has arrived.
    private mutating func findHeadEnd() -> Int? {
        let from = max(responseStart, headScanned - 3)
        var index = from
        while index + 3 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                return index
            }
            index += 1
        }
        headScanned = max(from, buffer.count)
        return nil
    }

    // MARK: - Chunked body

    /// Decodes every complete chunk that has arrived; true once the last chunk and the
    /// trailers are in.
    private mutating func decodeChunks() throws(Malformed) -> Bool {
        while !chunkedDone {
            guard let lineEnd = lineEnd(from: chunkCursor) else { return false }
            let line = String(decoding: buffer[chunkCursor..<lineEnd], as: UTF8.self)
            let sizeText = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw Malformed(detail: "an invalid chunk size \"\(line)\"")
            }
            if size == 0 {
                // Trailers, if any, end with an empty line.
                var cursor = lineEnd + 2
                while true {
                    guard let trailerEnd = self.lineEnd(from: cursor) else { return false }
                    let isEmptyLine = trailerEnd == cursor
                    cursor = trailerEnd + 2
                    if isEmptyLine { break }
                }
                chunkCursor = cursor
                chunkedDone = true
                break
            }
            let dataStart = lineEnd + 2
            guard buffer.count >= dataStart + size + 2 else { return false }
            guard buffer[dataStart + size] == 13, buffer[dataStart + size + 1] == 10 else {
                throw Malformed(detail: "a chunk not followed by CRLF")
            }
            decodedBody.append(contentsOf: buffer[dataStart..<(dataStart + size)])
            chunkCursor = dataStart + size + 2
        }
        return true
    }

    /// The index of the next `\r\n` at or after `start`, if it has arrived.
    private func lineEnd(from start: Int) -> Int? {
        var index = start
        while index + 1 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}
