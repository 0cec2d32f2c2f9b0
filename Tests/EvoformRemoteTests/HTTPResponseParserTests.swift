import Foundation
import Testing

@testable import EvoformRemote

@Suite struct HTTPResponseParserTests {
    /// Feeds `text` one byte at a time and returns the first complete response.
    func parseBytewise(_ text: String, method: String = "GET") throws -> HTTPResponseParser.Parsed? {
        var parser = HTTPResponseParser(requestMethod: method)
        for byte in Array(text.utf8) {
            parser.append([byte])
            if let parsed = try parser.response() { return parsed }
        }
        return try parser.responseAtEndOfStream()
    }

    @Test func aContentLengthBodyIsCompleteOnlyWhenEveryByteArrived() throws {
        var parser = HTTPResponseParser(requestMethod: "GET")
        parser.append(Array("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"a\":".utf8))
        #expect(try parser.response() == nil)
        parser.append(Array("true}".utf8))
        let parsed = try #require(try parser.response())
        #expect(parsed.response.status == 201)
        #expect(parsed.response.header("content-type") == "application/json")
        #expect(String(decoding: parsed.response.body, as: UTF8.self) == "{\"a\":true}")
        #expect(parsed.keepAlive)
    }

    @Test func aChunkedBodyWithExtensionsAndTrailersIsDecodedWhateverTheSplit() throws {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;name=x\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n"
        let parsed = try #require(try parseBytewise(text))
        #expect(String(decoding: parsed.response.body, as: UTF8.self) == "Wikipedia in \r\n\r\nchunks.")
        #expect(parsed.keepAlive)
    }

    @Test func aChunkedBodyIsIncompleteUntilTheLastChunk() throws {
        var parser = HTTPResponseParser(requestMethod: "GET")
        parser.append(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n".utf8))
        #expect(try parser.response() == nil)
        #expect(try parser.responseAtEndOfStream() == nil)
        parser.append(Array("0\r\n\r\n".utf8))
        #expect(try parser.response()?.response.body == Data("abc".utf8))
    }

    @Test func aBodyWithoutLengthEndsWithTheConnection() throws {
        var parser = HTTPResponseParser(requestMethod: "GET")
        parser.append(Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello ".utf8))
        #expect(try parser.response() == nil)
        parser.append(Array("world".utf8))
        let parsed = try #require(try parser.responseAtEndOfStream())
        #expect(parsed.response.body == Data("hello world".utf8))
        #expect(!parsed.keepAlive)
    }

    @Test func aTruncatedBodyIsNoResponse() throws {
        var parser = HTTPResponseParser(requestMethod: "POST")
        parser.append(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8))
        #expect(try parser.responseAtEndOfStream() == nil)
        #expect(parser.hasReceivedBytes)
    }

    @Test func interimResponsesAreSkipped() throws {
        let parsed = try #require(
            try parseBytewise("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        #expect(parsed.response.status == 200)
        #expect(parsed.response.body == Data("ok".utf8))
    }

    @Test(arguments: [("HEAD", 200), ("GET", 204), ("GET", 304)])
    func responsesThatCannotHaveABodyEndAfterTheHead(method: String, status: Int) throws {
        var parser = HTTPResponseParser(requestMethod: method)
        parser.append(Array("HTTP/1.1 \(status) X\r\nContent-Length: 5\r\n\r\n".utf8))
        let parsed = try #require(try parser.response())
        #expect(parsed.response.status == status)
        #expect(parsed.response.body.isEmpty)
    }

    @Test func connectionHeadersDecideReuse() throws {
        #expect(try parseBytewise("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")?.keepAlive == false)
        #expect(try parseBytewise("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")?.keepAlive == false)
        #expect(try parseBytewise("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")?.keepAlive == true)
        #expect(try parseBytewise("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")?.keepAlive == true)
    }

    @Test func repeatedHeadersAreJoined() throws {
        let parsed = try #require(try parseBytewise("HTTP/1.1 200 OK\r\nVary: a\r\nvary: b\r\nContent-Length: 0\r\n\r\n"))
        #expect(parsed.response.header("Vary") == "a, b")
    }

    @Test(arguments: [
        "HTTP/2 200\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n",
    ])
    func malformedResponsesAreErrors(text: String) {
        var parser = HTTPResponseParser(requestMethod: "GET")
        parser.append(Array(text.utf8))
        #expect(throws: HTTPResponseParser.Malformed.self) { try parser.response() }
    }

    @Test func anEndlessHeadIsAnError() {
        var parser = HTTPResponseParser(requestMethod: "GET")
        parser.append(Array("HTTP/1.1 200 OK\r\n".utf8) + [UInt8](repeating: 0x61, count: HTTPResponseParser.maximumHeadBytes + 1))
        #expect(throws: HTTPResponseParser.Malformed.self) { try parser.response() }
    }
}
