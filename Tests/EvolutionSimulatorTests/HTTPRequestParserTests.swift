import Testing

@testable import EvolutionSimulator

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    static let twoRequests =
        "POST /webhook/set/a%20b?x=1&y=two+words HTTP/1.1\r\nHost: 127.0.0.1\r\napikey: k\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"url\":\"u\"}"
        + "GET /instance/fetchInstances HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    /// Feeds `text` in pieces of `size` bytes and collects every request.
    static func parseAll(_ bytes: [UInt8], pieceSize: Int, limits: HTTPLimits = HTTPLimits()) throws -> [HTTPRequest] {
        var parser = HTTPRequestParser(limits: limits)
        var requests: [HTTPRequest] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + pieceSize)
            parser.append(bytes[offset..<end])
            offset = end
            while let request = try parser.next() { requests.append(request) }
        }
        return requests
    }

    @Test("pipelined requests give the same result whatever the split", arguments: [1, 2, 3, 7, 64, 100_000])
    func splitStreams(pieceSize: Int) throws {
        let requests = try Self.parseAll(Array(Self.twoRequests.utf8), pieceSize: pieceSize)
        #expect(requests.count == 2)
        let first = try #require(requests.first)
        #expect(first.method == "POST")
        #expect(first.rawPath == "/webhook/set/a%20b")
        #expect(first.queryItems.map(\.name) == ["x", "y"])
        #expect(first.query("y") == "two words")
        #expect(first.headers["APIKEY"] == "k")
        #expect(first.body == Array(#"{"url":"u"}"#.utf8))
        #expect(first.keepAlive)
        #expect(requests[1].method == "GET")
        #expect(requests[1].body.isEmpty)
    }

    @Test("chunked bodies are decoded, byte by byte too", arguments: [1, 5, 1000])
    func chunkedBody(pieceSize: Int) throws {
        let text =
            "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\n6\r\n:true}\r\n0\r\nTrailer: x\r\n\r\n"
        let requests = try Self.parseAll(Array(text.utf8), pieceSize: pieceSize)
        #expect(requests.count == 1)
        #expect(requests.first?.body == Array(#"{"a":true}"#.utf8))
    }

    @Test("leading empty lines are ignored; HTTP/1.0 closes unless asked to keep alive")
    func versionsAndEmptyLines() throws {
        let requests = try Self.parseAll(
            Array("\r\nGET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".utf8),
            pieceSize: 3)
        #expect(requests.map(\.keepAlive) == [false, true, false])
    }

    @Test("percent-decoding of path segments", arguments: [
        ("a%20b", "a b"), ("caf%C3%A9", "café"), ("a%2Fb", "a/b"), ("plain", "plain"), ("a+b", "a+b"),
    ])
    func percentDecoding(raw: String, decoded: String) {
        #expect(PercentDecoding.decode(raw) == decoded)
    }

    @Test("malformed percent-encoding is refused", arguments: ["%", "%4", "%zz", "%C3"])
    func badPercentEncoding(raw: String) {
        #expect(PercentDecoding.decode(raw) == nil)
    }

    @Test("malformed streams are rejected with 400", arguments: [
        "GET\r\n\r\n",
        "GET /x\r\n\r\n",
        "GET  /x HTTP/1.1\r\nHost: h\r\n\r\n",
        "get /x HTTP/1.1\r\nHost: h\r\n\r\n",
        "BREW /x HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET x HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /x HTTP/1.1\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: h\r\nHost: i\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: h\r\nBad Header: v\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: h\r\n folded: v\r\n\r\n",
        "GET /x HTTP/1.1\nHost: h\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
        "GET /x HTTP/x.y\r\nHost: h\r\n\r\n",
    ])
    func malformed(text: String) {
        do {
            let requests = try Self.parseAll(Array(text.utf8), pieceSize: 1)
            Issue.record("parsed \(requests.count) request(s) from a malformed stream")
        } catch let error as HTTPParseError {
            #expect(error.status == 400)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("other HTTP versions are 505")
    func unsupportedVersion() {
        #expect(throws: HTTPParseError.unsupportedVersion) {
            _ = try Self.parseAll(Array("GET / HTTP/2.0\r\nHost: h\r\n\r\n".utf8), pieceSize: 4)
        }
    }

    @Test("bodies over the limit are 413 before they are read, chunked ones too")
    func bodyTooLarge() {
        let limits = HTTPLimits(maxHeaderBytes: 1024, maxBodyBytes: 10)
        #expect(throws: HTTPParseError.bodyTooLarge) {
            _ = try Self.parseAll(Array("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n".utf8), pieceSize: 5, limits: limits)
        }
        #expect(throws: HTTPParseError.bodyTooLarge) {
            _ = try Self.parseAll(
                Array("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n".utf8),
                pieceSize: 5, limits: limits)
        }
        #expect(throws: Never.self) {
            _ = try Self.parseAll(Array("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789".utf8), pieceSize: 5, limits: limits)
        }
    }

    @Test("header sections over the limit are 431, even before they end")
    func headersTooLarge() {
        let limits = HTTPLimits(maxHeaderBytes: 64, maxBodyBytes: 10)
        let long = "GET /x HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "a", count: 100)
        #expect(throws: HTTPParseError.headersTooLarge) {
            _ = try Self.parseAll(Array(long.utf8), pieceSize: 7, limits: limits)
        }
    }

    @Test("Expect: 100-continue is signalled once the headers are in and the body is not")
    func expectContinue() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        #expect(try parser.next() == nil)
        let first = parser.takeContinueRequest()
        let second = parser.takeContinueRequest()
        #expect(first)
        #expect(!second)
        parser.append(Array("{}".utf8))
        #expect(try parser.next()?.body == Array("{}".utf8))
    }
}

@Suite("JSON on the wire")
struct WireJSONTests {
    @Test("parsing and printing round-trip, keeping key order")
    func roundTrip() throws {
        let text = #"{"b":1,"a":[true,false,null,-1.5,"x\"\\\n\u00e9\ud83d\ude00"],"c":{}}"#
        let value = try WireJSONParser.parse(Array(text.utf8))
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["a"]?.arrayValue?[4] == "x\"\\\né😀")
        #expect(value.text == #"{"b":1,"a":[true,false,null,-1.5,"x\"\\\né😀"],"c":{}}"#)
    }

    @Test("errors carry V8's messages", arguments: [
        ("{a:1}", "Expected property name or '}' in JSON at position 1"),
        ("{\"a\":1", "Unexpected end of JSON input"),
        ("{\"a\" 1}", "Expected ':' after property name in JSON at position 5"),
        ("{\"a\":1 \"b\":2}", "Expected ',' or '}' after property value in JSON at position 7"),
        ("[1 2]", "Expected ',' or ']' after array element in JSON at position 3"),
        ("{} x", "Unexpected non-whitespace character after JSON at position 3"),
        ("{\"a\":tru}", "Unexpected token '}', \"{\"a\":tru}\" is not valid JSON"),
        ("{\"a\":1,}", "Expected double-quoted property name in JSON at position 7"),
    ])
    func errors(text: String, message: String) {
        do {
            _ = try WireJSONParser.parse(Array(text.utf8))
            Issue.record("accepted invalid JSON \(text)")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test("V8 12 adds line and column")
    func lineAndColumn() {
        do {
            _ = try WireJSONParser.parse(Array("{\n  a".utf8), reportsLineAndColumn: true)
        } catch {
            #expect(error.message == "Expected property name or '}' in JSON at position 4 (line 2 column 3)")
        }
    }
}

@Suite("Schema validator")
struct SchemaValidatorTests {
    @Test("messages follow schema order: properties, then required, then the emptiness rule")
    func order() {
        let messages = SchemaValidator(schema: WireSchemas.v1Chatwoot).messages(
            for: json(#"{"enabled":"yes","account_id":3}"#))
        #expect(
            messages == [
                "enabled is not of a type(s) boolean", "enabled is not one of enum values: true,false",
                "account_id is not of a type(s) string",
                #"instance requires property "token""#, #"instance requires property "url""#,
                #"instance requires property "sign_msg""#, #"instance requires property "reopen_conversation""#,
                #"instance requires property "conversation_pending""#,
            ])
    }

    @Test("the emptiness rule fires only when every key is in its list")
    func emptinessRule() {
        #expect(SchemaValidator(schema: WireSchemas.v1Create).messages(for: json(#"{"instanceName":""}"#)) == [#"The "instanceName" cannot be empty"#])
        #expect(SchemaValidator(schema: WireSchemas.v1Create).messages(for: json(#"{"instanceName":"","qrcode":false}"#)).isEmpty)
    }

    @Test("phone number pattern", arguments: [
        ("5511999990000", true), ("55", true), ("5", false), ("+55", false), ("abc", false), ("1@s.whatsapp.net", true),
        ("12 34", true),
    ])
    func phonePattern(number: String, valid: Bool) {
        #expect(SchemaValidator.matchesPattern(number, WireSchemas.phonePattern) == valid)
    }

    @Test("isURL accepts what validator.js accepts for these inputs", arguments: [
        ("https://hooks.example.com/evolution", true), ("http://localhost:8080/x", true), ("example.com", true),
        ("http://10.0.0.1:3000", true), ("http://[::1]:8080/", true), ("not a url", false), ("", false),
        ("ws://example.com", false), ("http://evolution_api:8080", false), ("//example.com", false),
        ("http://", false), ("http://example.com:99999", false), ("ftp://files.example.com", true),
    ])
    func url(text: String, valid: Bool) {
        #expect(JavaScript.isURL(.string(text)) == valid)
    }
}
