import Foundation
import Testing

@testable import EvolutionSimulator

/// The incremental request parser against inputs the HTTP fuzzer (`Tests/Fuzz`) found. The rule
/// they broke: a stream gives the same requests and the same error however its bytes arrive (in
/// one piece, cut anywhere in two, one byte at a time), so TCP segmentation cannot change what
/// the server answers.
@Suite("HTTP request parser: limits and fuzz regressions")
struct HTTPRequestParserRegressionTests {
    struct Outcome: Equatable, CustomStringConvertible {
        var requests: [HTTPRequest] = []
        var error: HTTPParseError?

        var description: String {
            "\(requests.map { "\($0.method) \($0.target) body \($0.body.count)" }) then \(error.map { "\($0)" } ?? "more bytes")"
        }
    }

    /// Feeds `bytes` in the given pieces and takes every request out after each piece.
    static func parse(_ bytes: [UInt8], limits: HTTPLimits, pieces: [Range<Int>]) -> Outcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = Outcome()
        for piece in pieces {
            parser.append(bytes[piece])
            do {
                while let request = try parser.next() { outcome.requests.append(request) }
            } catch {
                outcome.error = error
                return outcome
            }
        }
        return outcome
    }

    /// The outcome in one piece, after checking that every two-piece cut and byte-by-byte
    /// feeding give the same.
    static func consistentOutcome(
        _ bytes: [UInt8], limits: HTTPLimits = HTTPLimits(), sourceLocation: SourceLocation = #_sourceLocation
    ) -> Outcome {
        let whole = parse(bytes, limits: limits, pieces: [0..<bytes.count])
        for cut in 0...bytes.count {
            let split = parse(bytes, limits: limits, pieces: [0..<cut, cut..<bytes.count])
            if split != whole {
                Issue.record("cut at \(cut): \(split), whole: \(whole)", sourceLocation: sourceLocation)
                return whole
            }
        }
        let byteWise = parse(bytes, limits: limits, pieces: (0..<bytes.count).map { $0..<($0 + 1) })
        #expect(byteWise == whole, "byte by byte", sourceLocation: sourceLocation)
        return whole
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a head of exactly the header limit is accepted, one byte more refused, however the blank line arrives")
    func headAtTheLimit() {
        let head = "GET /instance/fetchInstances HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: abcdef"
        var limits = HTTPLimits()
        limits.maxHeaderBytes = head.utf8.count
        let accepted = Self.consistentOutcome(Self.bytes(head + "\r\n\r\n"), limits: limits)
        #expect(accepted.requests.map(\.target) == ["/instance/fetchInstances"])
        #expect(accepted.error == nil)

        let refused = Self.consistentOutcome(Self.bytes(head + "g\r\n\r\n"), limits: limits)
        #expect(refused.requests.isEmpty)
        #expect(refused.error == .headersTooLarge)
    }

    @Test("a head refused for its syntax gets that error, not 431, when it is within the limit")
    func malformedHeadWithinTheLimit() {
        // Fuzzer input `head-limit-blank-line-split`, reduced: a request line with a leading space.
        let head = " OPTIONS * HTTP/1.1\r\nHost: x"
        var limits = HTTPLimits()
        limits.maxHeaderBytes = head.utf8.count
        let outcome = Self.consistentOutcome(Self.bytes(head + "\r\n\r\n"), limits: limits)
        #expect(outcome.error == .malformed("invalid request line"))
    }

    @Test("a chunk-size line is limited to 1024 bytes whether or not its CRLF has arrived")
    func chunkSizeLineLimit() {
        let head = "POST /webhook/set/sales01 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        func chunked(sizeLine: String) -> [UInt8] { Self.bytes(head + sizeLine + "\r\nhello\r\n0\r\n\r\n") }
        let longest = "5;" + String(repeating: "e", count: 1022)
        let accepted = Self.consistentOutcome(chunked(sizeLine: longest))
        #expect(accepted.requests.map(\.body) == [Self.bytes("hello")])
        #expect(accepted.error == nil)

        let refused = Self.consistentOutcome(chunked(sizeLine: longest + "e"))
        #expect(refused.requests.isEmpty)
        #expect(refused.error == .malformed("line too long"))
    }

    @Test("a trailer line longer than the header limit is refused before a bare LF after it is seen")
    func trailerLineLimit() {
        // Fuzzer input `trailer-line-limit-split`, reduced: a long trailer ending in a bare LF was
        // "bare LF" in one piece but "line too long" byte by byte.
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 144
        let stream = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n}\r\n0\r\nX-Trailer: "
            + String(repeating: "v", count: 200) + "\ndone\r\n\r\n"
        let outcome = Self.consistentOutcome(Self.bytes(stream), limits: limits)
        #expect(outcome.error == .malformed("line too long"))
    }

    @Test("a trailer line of exactly the header limit is accepted")
    func trailerAtTheLimit() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 144
        let trailer = "X-Trailer: " + String(repeating: "v", count: 144 - 11)
        let stream = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n}\r\n0\r\n\(trailer)\r\n\r\n"
        let outcome = Self.consistentOutcome(Self.bytes(stream), limits: limits)
        #expect(outcome.requests.map(\.body) == [Self.bytes("}")])
        #expect(outcome.error == nil)
    }

    @Test("a chunk size is hex digits only: a sign makes it malformed", arguments: ["-5", "+5", "-0", "0x5", ""])
    func signedChunkSize(size: String) {
        // Found reading the parser while writing the fuzzer: `Int(_:radix:)` accepts a sign, so
        // "+5" was a chunk of 5 and "-0" ended the body.
        let stream = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n"
        let outcome = Self.consistentOutcome(Self.bytes(stream))
        #expect(outcome.requests.isEmpty)
        #expect(outcome.error == .malformed("invalid chunk size"))
    }

    @Test("chunk sizes in either case, with extensions and blanks around them, are read")
    func chunkSizeSpellings() {
        let stream = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0A;name=value\r\n0123456789\r\na \r\nabcdefghij\r\n00000000\r\n\r\n"
        let outcome = Self.consistentOutcome(Self.bytes(stream))
        #expect(outcome.requests.map(\.body) == [Self.bytes("0123456789abcdefghij")])
        #expect(outcome.error == nil)
    }

    // MARK: Saved fuzzer inputs

    static let savedInputsDirectory: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("Tests/Fixtures/fuzz/http")
    }()

    static let savedInputs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: savedInputsDirectory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
    }()

    @Test("the fuzzer's saved inputs are found")
    func savedInputsExist() {
        #expect(!Self.savedInputs.isEmpty)
    }

    /// The fuzzer's input layout (`Tests/Fuzz/HTTPParserFuzzer.swift`): header limit byte, body
    /// limit byte, two split bytes (every cut is tried here), then the stream.
    @Test("a saved fuzzer input parses the same however it arrives", arguments: savedInputs)
    func savedInput(name: String) throws {
        let input = try [UInt8](Data(contentsOf: Self.savedInputsDirectory.appendingPathComponent(name)))
        try #require(input.count >= 4)
        var limits = HTTPLimits()
        if input[0] != 255 { limits.maxHeaderBytes = 16 + 8 * Int(input[0]) }
        if input[1] != 255 { limits.maxBodyBytes = 8 * Int(input[1]) }
        let outcome = Self.consistentOutcome(Array(input[4...]), limits: limits)
        for request in outcome.requests {
            #expect(request.body.count <= limits.maxBodyBytes)
        }
    }
}
