import EvoformCore
import Foundation
import Testing

@testable import EvoformManifest

/// `ManifestFormatter` (`evoform fmt`): the layout, and on every example and fixture that reads:
/// idempotence, every comment kept in order, and the same meaning afterwards.
@Suite struct ManifestFormatterTests {
    func format(_ text: String) throws -> String {
        try ManifestFormatter.format(Array(text.utf8))
    }

    /// The comments of a document, in order, as the formatter writes them.
    static func comments(_ bytes: [UInt8]) throws -> [String] {
        try JSONCReader.readWithTokens(bytes).tokens.filter(\.isComment).map { token in
            var text = String(decoding: bytes[token.range], as: UTF8.self)
            if token.kind == .lineComment {
                while text.hasSuffix(" ") || text.hasSuffix("\t") { text.removeLast() }
            } else {
                text = text.replacingOccurrences(of: "\r\n", with: "\n")
            }
            return text
        }
    }

    /// The corpus files the reader accepts (the others are syntax-error fixtures).
    static let readable = CorpusManifest.all.filter { (try? JSONCReader.read($0.bytes)) != nil }

    @Test func mostOfTheCorpusIsReadable() {
        #expect(Self.readable.count >= 45)
        #expect(Self.readable.contains { $0.name == "examples/fleet.jsonc" })
    }

    // MARK: Properties on the corpus

    @Test(arguments: ManifestFormatterTests.readable)
    func formattingTwiceChangesNothing(_ manifest: CorpusManifest) throws {
        let once = try ManifestFormatter.format(manifest.bytes)
        let twice = try ManifestFormatter.format(Array(once.utf8))
        #expect(once == twice, "\(manifest)")
    }

    @Test(arguments: ManifestFormatterTests.readable)
    func everyCommentIsKeptInOrder(_ manifest: CorpusManifest) throws {
        let formatted = try ManifestFormatter.format(manifest.bytes)
        let before = try Self.comments(manifest.bytes)
        #expect(try Self.comments(Array(formatted.utf8)) == before, "\(manifest)")
        // And each appears in the text, in order.
        var rest = Substring(formatted)
        for comment in before {
            guard let range = rest.range(of: comment) else {
                Issue.record("\(manifest): \(comment) is missing")
                break
            }
            rest = rest[range.upperBound...]
        }
    }

    @Test(arguments: ManifestFormatterTests.readable)
    func theMeaningIsTheSame(_ manifest: CorpusManifest) throws {
        let formatted = Data(try ManifestFormatter.format(manifest.bytes).utf8)
        let before = try JSONCReader.read(manifest.bytes)
        let after = try JSONCReader.read([UInt8](formatted))
        #expect(before.root?.jsonValue == after.root?.jsonValue, "\(manifest)")
        #expect(before.problems.map(\.message) == after.problems.map(\.message))
        switch (manifest.load(), manifest.load(contents: formatted)) {
        case (.success(let lhs), .success(let rhs)):
            #expect(lhs.manifest.instances == rhs.manifest.instances, "\(manifest)")
            #expect(lhs.manifest.server.url == rhs.manifest.server.url)
            #expect(lhs.manifest.server.apiVersion == rhs.manifest.server.apiVersion)
            #expect(lhs.warnings.map(\.path) == rhs.warnings.map(\.path))
        case (.failure(let lhs), .failure(let rhs)):
            // The same problems, at the same paths (lines move).
            #expect(lhs.diagnostics.map { "\($0.severity) \($0.path)" } == rhs.diagnostics.map { "\($0.severity) \($0.path)" }, "\(manifest)")
        default:
            Issue.record("\(manifest): formatting changed whether it loads")
        }
    }

    /// Comments, blank lines, spaces and commas inserted all over every readable file: whatever
    /// still reads formats idempotently, keeps its comments and means the same.
    @Test(arguments: ManifestFormatterTests.readable)
    func insertedTriviaAnywhereKeepsTheProperties(_ manifest: CorpusManifest) throws {
        let bytes = manifest.bytes
        let insertions = ["// c\n", "/* c */", "/*\n c\n*/", "\n\n", " ", ",", "\r\n", "\t// x"].map { Array($0.utf8) }
        let step = max(1, bytes.count / 30)
        var checked = 0
        for offset in stride(from: 0, through: bytes.count, by: step) {
            for insertion in insertions {
                let variant = Array(bytes[..<offset]) + insertion + Array(bytes[offset...])
                guard let document = try? JSONCReader.read(variant) else { continue }
                checked += 1
                let once = try ManifestFormatter.format(variant)
                #expect(try ManifestFormatter.format(Array(once.utf8)) == once, "\(manifest) + \(insertion) at \(offset)")
                #expect(try Self.comments(Array(once.utf8)) == Self.comments(variant), "\(manifest) at \(offset)")
                #expect(try JSONCReader.read(Array(once.utf8)).root?.jsonValue == document.root?.jsonValue)
            }
        }
        #expect(checked > min(10, bytes.count), "\(manifest)")
    }

    @Test(arguments: CorpusManifest.all.filter { (try? JSONCReader.read($0.bytes)) == nil })
    func aSyntaxErrorIsTheLoadersError(_ manifest: CorpusManifest) throws {
        guard case .failure(let loadError) = manifest.load() else {
            Issue.record("\(manifest) loads")
            return
        }
        #expect(throws: loadError) { try ManifestFormatter.format(Data(manifest.bytes), path: manifest.name) }
    }

    @Test(arguments: CorpusManifest.examples)
    func theExamplesAreFormatted(_ example: CorpusManifest) throws {
        let text = String(decoding: example.bytes, as: UTF8.self)
        #expect(try ManifestFormatter.format(example.bytes) == text, "run: swift run evoform fmt -f \(example)")
    }

    @Test func theTokensCoverEveryByteButWhitespace() throws {
        for manifest in Self.readable {
            let bytes = manifest.bytes
            var covered = [Bool](repeating: false, count: bytes.count)
            let tokens = try JSONCReader.readWithTokens(bytes).tokens
            for token in tokens { for offset in token.range { covered[offset] = true } }
            let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            for offset in start..<bytes.count where !covered[offset] {
                #expect([0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]), "\(manifest) byte \(offset)")
            }
            #expect(zip(tokens, tokens.dropFirst()).allSatisfy { $0.range.upperBound <= $1.range.lowerBound })
        }
    }

    // MARK: The layout

    @Test func objectsAreBlocksWithOneMemberPerLineInTheWrittenOrder() throws {
        let text = #"{"server":{"url":"http://127.0.0.1:8080"} , "instances" : [ {"qrcode":true,"instanceName":"b1"},{"instanceName" :"a1"} ]}"#
        #expect(
            try format(text) == """
                {
                  "server": {
                    "url": "http://127.0.0.1:8080"
                  },
                  "instances": [
                    {
                      "qrcode": true,
                      "instanceName": "b1"
                    },
                    {
                      "instanceName": "a1"
                    }
                  ]
                }

                """)
    }

    @Test func trailingCommasAreRemovedAndEmptyContainersStayShort() throws {
        #expect(try format(#"{"a": [1, 2,], "b": {}, "c": [ ], "d": {"e": 1,},}"#) == """
            {
              "a": [1, 2],
              "b": {},
              "c": [],
              "d": {
                "e": 1
              }
            }

            """)
    }

    @Test func anArrayOfScalarsJoinsOneLineOnlyWhenItFitsInOneHundredColumns() throws {
        // "  \"k\": " is 7 columns, the comma 1: the array may take 92.
        let fits = "[" + String(repeating: "1, ", count: 29) + "123]"  // 1 + 87 + 4 = 92
        #expect(fits.count == 92)
        let joined = try format("{\"k\": \(fits), \"z\": 0}")
        #expect(joined.contains("\"k\": \(fits),\n"))
        #expect(joined.split(separator: "\n").map(\.count).max() == 100)
        let tooLong = "[" + String(repeating: "1, ", count: 29) + "1234]"
        let split = try format("{\"k\": \(tooLong), \"z\": 0}")
        #expect(split.contains("\"k\": [\n    1,\n    1,"))
        // As the last member (no comma) one more column is free.
        #expect(try format("{\"k\": \(tooLong)}").contains("\"k\": \(tooLong)\n"))
        // Nested arrays, objects or comments inside keep one element per line.
        #expect(try format(#"{"k": [[1]]}"#) == "{\n  \"k\": [\n    [1]\n  ]\n}\n")
        #expect(try format(#"{"k": [{"a": 1}]}"#) == "{\n  \"k\": [\n    {\n      \"a\": 1\n    }\n  ]\n}\n")
        #expect(try format("{\"k\": [1, /* two */ 2]}") == "{\n  \"k\": [\n    1, /* two */\n    2\n  ]\n}\n")
    }

    @Test func commentsStayOnTheirLinesAndTrailingOnesAreAligned() throws {
        let text = """
            // header
            {
              "server": {
                "url": "${EVOLUTION_API_URL}",  // where
                "apiKey": "${EVOLUTION_API_KEY}",   // the key
                "apiVersion": "auto" // ask
              },
              /* block */ "instances": [
                // "APPLICATION_STARTUP",
                "x",   // trailing, and the comma is moved before it
                // last, dangling
              ],
            } // done

            """
        #expect(try format(text) == """
            // header
            {
              "server": {
                "url": "${EVOLUTION_API_URL}",    // where
                "apiKey": "${EVOLUTION_API_KEY}", // the key
                "apiVersion": "auto"              // ask
              },
              /* block */ "instances": [
                // "APPLICATION_STARTUP",
                "x" // trailing, and the comma is moved before it
                // last, dangling
              ]
            } // done

            """)
    }

    @Test func aCommaWrittenAfterACommentMovesToTheValue() throws {
        #expect(try format("{\"a\": 1 // one\n, \"b\": 2}") == "{\n  \"a\": 1, // one\n  \"b\": 2\n}\n")
        #expect(try format("{\"a\": 1 /* one */, \"b\": 2}") == "{\n  \"a\": 1, /* one */\n  \"b\": 2\n}\n")
    }

    @Test func blankLinesBetweenMembersAreKeptAsOne() throws {
        let text = "{\n\n\n  \"a\": 1,\n\n\n\n  // b\n  \"b\": 2,\n  \"c\": 3\n\n}\n"
        #expect(try format(text) == "{\n  \"a\": 1,\n\n  // b\n  \"b\": 2,\n  \"c\": 3\n}\n")
    }

    @Test func valuesAreWrittenExactlyAsInTheFile() throws {
        let text = #"{"a":"caf\u00e9 \"q\" \/","b":1.50e+2,"c":-0,"d":null,"e":false}"#
        #expect(try format(text) == """
            {
              "a": "caf\\u00e9 \\"q\\" \\/",
              "b": 1.50e+2,
              "c": -0,
              "d": null,
              "e": false
            }

            """)
    }

    @Test func lineEndsBecomeNewlinesAndAByteOrderMarkIsDropped() throws {
        let crlf = "{\r\n  \"a\": 1, // note  \r\n  /* x\r\n  y */\r\n  \"b\": [1, 2]\r\n}"
        #expect(try format(crlf) == "{\n  \"a\": 1, // note\n  /* x\n  y */\n  \"b\": [1, 2]\n}\n")
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8)
        #expect(try ManifestFormatter.format(bom) == "{\n  \"a\": 1\n}\n")
    }

    @Test func documentsWithoutAValueKeepTheirComments() throws {
        #expect(try format("") == "")
        #expect(try format("  \n\n") == "")
        #expect(try format("// only\n\n\n/* two */  ") == "// only\n\n/* two */\n")
        #expect(try format("\"text\"") == "\"text\"\n")
    }

    @Test func aSyntaxErrorIsReportedLikeTheLoaderDoes() throws {
        let text = "{\n  \"instances\": [\n    { \"instanceName\": \"sales01\" \"qrcode\": true }\n  ]\n}\n"
        let expected: ManifestError
        do {
            _ = try ManifestLoader.load(contents: Data(text.utf8), path: "f.json", environment: [:], requireVariables: false)
            Issue.record("the manifest loads")
            return
        } catch {
            expected = error
        }
        #expect(throws: expected) { try ManifestFormatter.format(Data(text.utf8), path: "f.json") }
        #expect(expected.userMessage.hasPrefix("f.json:3:33: instances[0].instanceName: "))
    }

    @Test func aLargeFleetFormatsInOnePass() throws {
        var text = "{\"instances\": ["
        for number in 0..<10_000 {
            text += (number == 0 ? "" : ",") + "{\"instanceName\": \"i\(number)\", \"events\": [\"CALL\", \"MESSAGES_UPSERT\"]} // \(number)\n"
        }
        text += "]}"
        let formatted = try format(text)
        #expect(formatted.split(separator: "\n").count == 10_000 * 4 + 4)
        #expect(try format(formatted) == formatted)
    }
}
