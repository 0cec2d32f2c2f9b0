// libFuzzer target for the simulator's incremental HTTP/1.x request parser
// (`Sources/EvolutionSimulator/HTTP/HTTPRequestParser.swift`). Built and run by
// `Tests/Fuzz/run.sh http SECONDS`, compiled into one module with the parser's sources (the
// parser is internal to the simulator); not part of the SwiftPM package.
//
// Input layout: 4 control bytes, then the bytes a client sends on one connection.
//   byte 0   header limit: 255 = the default (16 KiB), else 16 + 8 * byte (16...2056)
//   byte 1   body limit:   255 = the default (8 MiB),  else 8 * byte (0...2032)
//   byte 2-3 split point (big endian, modulo the stream length + 1)
// The stream is parsed three ways: in one piece, in two pieces cut at the split point, and one
// byte at a time. Besides "never crash", the harness checks:
// - the three ways give the same requests and the same error (an incremental parser must not
//   depend on how the bytes arrive);
// - no request exceeds the limits: its body is at most the body limit, and its request line and
//   headers at most the header limit;
// - each complete request consumed a sane number of bytes: at least its request line, headers,
//   blank line and body, never more than was received; the buffered count stays in range;
// - what is accepted is well formed: a known method, a target starting with / or * without
//   spaces or controls, token header names, header values without CR, LF or NUL and trimmed,
//   exactly one Host on HTTP/1.1, a Content-Length body of exactly that length.
// A broken promise is a `fatalError`, which libFuzzer reports as a crash with the input saved.

/// What parsing a stream produced: the complete requests, then the error that stopped it (nil
/// when the parser simply wants more bytes), and the bytes left buffered (only when no error:
/// after one the connection closes, and how much had arrived depends on the pieces).
struct ParseOutcome: Equatable {
    var requests: [HTTPRequest] = []
    var error: HTTPParseError?
    var buffered = 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func httpParserFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 4 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = HTTPLimits()
    if input[0] != 255 { limits.maxHeaderBytes = 16 + 8 * Int(input[0]) }
    if input[1] != 255 { limits.maxBodyBytes = 8 * Int(input[1]) }
    let stream = Array(input[4...])
    let split = (Int(input[2]) << 8 | Int(input[3])) % (stream.count + 1)

    let whole = parse(stream, limits: limits, pieces: [0..<stream.count])
    let twoPieces = parse(stream, limits: limits, pieces: [0..<split, split..<stream.count])
    let byteWise = parse(stream, limits: limits, pieces: (0..<stream.count).map { $0..<($0 + 1) })
    guard whole == twoPieces else {
        fatalError("invariant: split at \(split) changes the outcome:\n\(whole)\nvs\n\(twoPieces)")
    }
    guard whole == byteWise else {
        fatalError("invariant: byte-wise feeding changes the outcome:\n\(whole)\nvs\n\(byteWise)")
    }
    return 0
}

func parse(_ stream: [UInt8], limits: HTTPLimits, pieces: [Range<Int>]) -> ParseOutcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = ParseOutcome()
    var received = 0
    var consumedBefore = 0
    for piece in pieces {
        parser.append(stream[piece])
        received += piece.count
        while true {
            checkBuffered(parser, received: received)
            let request: HTTPRequest?
            do {
                request = try parser.next()
            } catch {
                checkBuffered(parser, received: received)
                outcome.error = error
                return outcome
            }
            checkBuffered(parser, received: received)
            guard let request else {
                _ = parser.takeContinueRequest()
                break
            }
            let consumed = received - parser.bufferedByteCount
            check(request, consumed: consumed - consumedBefore, limits: limits)
            consumedBefore = consumed
            outcome.requests.append(request)
        }
    }
    outcome.buffered = parser.bufferedByteCount
    return outcome
}

func checkBuffered(_ parser: HTTPRequestParser, received: Int) {
    guard (0...received).contains(parser.bufferedByteCount) else {
        fatalError("invariant: \(parser.bufferedByteCount) bytes buffered of \(received) received")
    }
}

func check(_ request: HTTPRequest, consumed: Int, limits: HTTPLimits) {
    // The head as sent, at least: request line, then CRLF and "name:value" per header.
    let requestLine = minimumBytes(request.method) + 1 + minimumBytes(request.target) + 1 + 8
    let headerLines = request.headers.fields.reduce(0) { $0 + 2 + minimumBytes($1.name) + 1 + minimumBytes($1.value) }
    let head = requestLine + headerLines
    guard head <= limits.maxHeaderBytes else {
        fatalError("invariant: a head of at least \(head) bytes accepted, limit \(limits.maxHeaderBytes)")
    }
    guard request.body.count <= limits.maxBodyBytes else {
        fatalError("invariant: a body of \(request.body.count) bytes accepted, limit \(limits.maxBodyBytes)")
    }
    guard consumed >= head + 4 + request.body.count else {
        fatalError("invariant: a request of at least \(head + 4 + request.body.count) bytes consumed only \(consumed)")
    }

    guard HTTPRequestParser.knownMethods.contains(request.method) else {
        fatalError("invariant: unknown method accepted: \(request.method.debugDescription)")
    }
    guard let first = request.target.utf8.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "*"),
        request.target.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F })
    else { fatalError("invariant: invalid target accepted: \(request.target.debugDescription)") }
    for (name, value) in request.headers.fields {
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
            fatalError("invariant: invalid header name accepted: \(name.debugDescription)")
        }
        guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
            fatalError("invariant: header value with CR, LF or NUL accepted: \(value.debugDescription)")
        }
        guard value.first != " ", value.first != "\t", value.last != " ", value.last != "\t" else {
            fatalError("invariant: header value not trimmed: \(value.debugDescription)")
        }
    }
    let hosts = request.headers.values("host").count
    guard request.version == .http11 ? hosts == 1 : hosts <= 1 else {
        fatalError("invariant: \(hosts) Host headers accepted on \(request.version.rawValue)")
    }
    if request.headers.values("transfer-encoding").isEmpty, let length = request.headers["content-length"] {
        guard let text = length.split(separator: ",").first, Int(text.trimmingWhitespace()) == request.body.count else {
            fatalError("invariant: Content-Length \(length) but a body of \(request.body.count) bytes")
        }
    }

    // What the server reads from a request next: it must not trap either.
    _ = request.keepAlive
    _ = request.queryItems
    _ = request.query("instanceName")
    _ = PercentDecoding.decode(request.rawPath)
    _ = request.rawPath.split(separator: "/").map { PercentDecoding.decode($0) }
}

/// The fewest bytes a decoded text came from: its UTF-8 length, except that a U+FFFD may stand
/// for a single invalid byte (`String(decoding:as:)` replaces each with one).
func minimumBytes(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + ($1 == "\u{FFFD}" ? 1 : UTF8.width($1)) }
}

/// RFC 9110 `tchar`.
func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default:
        "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}
