import EvoformCore
import Foundation
import Testing

@testable import EvoformManifest

@Suite struct JSONCReaderTests {
    func read(_ text: String) throws(JSONCProblem) -> JSONCNode {
        let document = try JSONCReader.read(Array(text.utf8))
        guard let root = document.root else { throw JSONCProblem(line: 0, column: 0, path: "", message: "no root") }
        return root
    }

    func problem(_ text: String) -> JSONCProblem? {
        do {
            _ = try JSONCReader.read(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    func problem(bytes: [UInt8]) -> JSONCProblem? {
        do {
            _ = try JSONCReader.read(bytes)
            return nil
        } catch {
            return error
        }
    }

    func members(_ node: JSONCNode) -> [JSONCMember] {
        if case .object(let members) = node.value { return members }
        Issue.record("not an object: \(node)")
        return []
    }

    func elements(_ node: JSONCNode) -> [JSONCNode] {
        if case .array(let elements) = node.value { return elements }
        Issue.record("not an array: \(node)")
        return []
    }

    // MARK: Strings

    @Test func decodesEveryEscape() throws {
        let node = try read(#""q\" b\\ s\/ \b\f\n\r\t \u00e9\u0041 \u0000""#)
        #expect(node.value == .string("q\" b\\ s/ \u{08}\u{0C}\n\r\t éA \u{0}"))
    }

    @Test func combinesSurrogatePairs() throws {
        #expect(try read(#""\uD83D\uDE00 \ud83d\ude80""#).value == .string("😀 🚀"))
        #expect(try read(#""\uDBFF\uDFFF""#).value == .string("\u{10FFFF}"))
    }

    @Test func rejectsALoneHighSurrogateAtItsPosition() {
        let found = problem("{\n  \"a\": \"x\\uD83Dy\"\n}")
        #expect(found?.line == 2)
        #expect(found?.column == 10)
        #expect(found?.path == "a")
        #expect(found?.message.contains("lone high surrogate") == true)
    }

    @Test func rejectsAHighSurrogateFollowedByANonLowEscape() {
        let found = problem(#"["\uD83D\u0041"]"#)
        #expect(found?.message.contains("lone high surrogate") == true)
        #expect(found?.message.contains("not \\u0041") == true)
        #expect(found?.column == 3)
    }

    @Test func rejectsALoneLowSurrogate() {
        #expect(problem(#""\uDE00""#)?.message.contains("lone low surrogate") == true)
    }

    @Test func rejectsShortUnicodeEscapes() {
        #expect(problem(#""\u12""#)?.message.contains("four hexadecimal digits") == true)
        #expect(problem(#""\u12G4""#)?.message.contains("four hexadecimal digits") == true)
    }

    @Test func rejectsUnknownEscapesAndRawControlCharacters() {
        #expect(problem(#""\x41""#)?.message.hasPrefix("invalid escape \\x") == true)
        #expect(problem("\"a\u{07}b\"")?.message.contains("U+0007") == true)
        #expect(problem("\"a\nb\"")?.message.contains("not closed before the end of the line") == true)
        #expect(problem("\"abc")?.message.contains("not closed") == true)
    }

    @Test func keepsNonASCIITextIntact() throws {
        #expect(try read("\"São Paulo 🚀 日本\"").value == .string("São Paulo 🚀 日本"))
    }

    // MARK: Numbers

    @Test(arguments: [
        ("0", 0.0), ("-0", 0.0), ("12", 12), ("-12", -12), ("1.5", 1.5), ("1e3", 1000), ("1E+3", 1000),
        ("2.5e-3", 0.0025), ("-1.25E2", -125), ("123456789012", 123_456_789_012),
    ])
    func readsNumbersWithFractionsAndExponents(_ text: String, _ value: Double) throws {
        #expect(try read(text).value == .number(value))
    }

    @Test(arguments: ["01", "1.", ".5", "+1", "1e", "1e+", "-", "-a", "1.e5", "0x10"])
    func rejectsMalformedNumbers(_ text: String) {
        #expect(problem(text) != nil, "\(text)")
    }

    @Test func rejectsNumbersTooLargeForADouble() {
        #expect(problem("1e400")?.message.contains("too large") == true)
    }

    // MARK: Literals and structure

    @Test func readsLiteralsArraysAndObjects() throws {
        let root = try read(#"{"t": true, "f": false, "n": null, "a": [1, "x", []], "o": {}}"#)
        #expect(
            root.jsonValue
                == .object([
                    "t": .bool(true), "f": .bool(false), "n": .null, "a": .array([.number(1), .string("x"), .array([])]),
                    "o": .object([:]),
                ]))
    }

    @Test func suggestsTheJSONSpellingOfForeignLiterals() {
        #expect(problem("[True]")?.message == "unexpected \"True\"; did you mean true?")
        #expect(problem("[None]")?.message == "unexpected \"None\"; did you mean null?")
        #expect(problem("[NaN]")?.message.contains("no NaN") == true)
        #expect(problem("[hello]")?.message.contains("double quotes") == true)
        #expect(problem("['x']")?.message.contains("double quotes") == true)
        #expect(problem("{key: 1}")?.message == "object keys must be in double quotes: write \"key\"")
    }

    @Test func acceptsTrailingCommas() throws {
        let root = try read(#"{"a": [1, 2,], "b": {"c": 3,},}"#)
        #expect(root.jsonValue == .object(["a": .array([1, 2]), "b": .object(["c": 3])]))
    }

    @Test func rejectsEmptyElements() {
        #expect(problem("[,]") != nil)
        #expect(problem("[1,,2]")?.message.contains("unexpected \",\"") == true)
        #expect(problem("{,}") != nil)
        #expect(problem(#"{"a": 1,,}"#) != nil)
        #expect(problem(#"{"a": }"#)?.message.contains("expected a value for the key \"a\"") == true)
        #expect(problem(#"{"a" 1}"#)?.message.contains("expected \":\"") == true)
    }

    @Test func rejectsContentAfterTheDocument() {
        let found = problem("{}\n  []")
        #expect(found?.line == 2)
        #expect(found?.column == 3)
    }

    @Test func reportsEveryDuplicateKeyAndKeepsBothMembers() throws {
        let document = try JSONCReader.read(Array(#"{"a": 1, "b": {"x": 1, "x": 2}, "a": 3}"#.utf8))
        #expect(document.problems.count == 2)
        #expect(document.problems.map(\.path) == ["b.x", "a"])
        #expect(document.problems[0].message == "duplicate key \"x\" (first at line 1); remove one of them")
        #expect(members(document.root!).count == 3)
    }

    // MARK: Comments

    @Test func skipsLineAndBlockComments() throws {
        let text = """
            // leading
            { /* inline */ "a": /* before value */ 1, // after
              /* multi
                 line */ "b": "// not a comment /* nor this */"
            } // trailing
            """
        let root = try read(text)
        #expect(root.jsonValue == .object(["a": 1, "b": "// not a comment /* nor this */"]))
        #expect(members(root)[1].keyLine == 4)
    }

    @Test func reportsAnUnclosedBlockCommentAtItsStart() {
        let found = problem("{\n  /* open\n}")
        #expect(found?.line == 2)
        #expect(found?.column == 3)
        #expect(found?.message.contains("/* comment is not closed") == true)
    }

    @Test func rejectsALoneSlash() {
        #expect(problem("{ / }")?.message.contains("comments start with") == true)
    }

    @Test func documentOfOnlyCommentsHasNoRoot() throws {
        #expect(try JSONCReader.read(Array(" // a\n /* b */ \n".utf8)).root == nil)
        #expect(try JSONCReader.read([]).root == nil)
    }

    // MARK: Positions

    @Test func recordsLineAndColumnOfEveryKeyAndValue() throws {
        let text = "{\n  \"name\": \"x\",\n\t\"list\": [\n    true,\n    {\"k\": null}\n  ]\n}"
        let root = try read(text)
        #expect((root.line, root.column) == (1, 1))
        let top = members(root)
        #expect((top[0].keyLine, top[0].keyColumn) == (2, 3))
        #expect((top[0].value.line, top[0].value.column) == (2, 11))
        #expect((top[1].keyLine, top[1].keyColumn) == (3, 2))
        let list = elements(top[1].value)
        #expect((list[0].line, list[0].column) == (4, 5))
        #expect((list[1].line, list[1].column) == (5, 5))
        let inner = members(list[1])
        #expect((inner[0].keyLine, inner[0].keyColumn) == (5, 6))
        #expect((inner[0].value.line, inner[0].value.column) == (5, 11))
    }

    @Test func countsColumnsInCharactersNotBytes() throws {
        // "é" is 2 bytes, "🚀" is 4 bytes; each is one column.
        let root = try read(#"{"é🚀": "ãõ", "b": 1}"#)
        let top = members(root)
        #expect(top[0].value.column == 8)
        #expect(top[1].keyColumn == 14)
        #expect(top[1].value.column == 19)
    }

    @Test func handlesWindowsLineEndingsAndAByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}".utf8)
        let root = try JSONCReader.read(bytes).root!
        let top = members(root)
        #expect((root.line, root.column) == (1, 1))
        #expect((top[1].keyLine, top[1].keyColumn) == (3, 3))
        #expect((top[1].value.line, top[1].value.column) == (3, 8))
    }

    @Test func positionsErrorsAtTheOffendingCharacter() {
        let found = problem("{\n  \"a\": 1\n  \"b\": 2\n}")
        #expect(found?.line == 3)
        #expect(found?.column == 3)
        #expect(found?.message.contains("a comma is missing") == true)
    }

    @Test func namesTheOpeningOfAnUnclosedContainer() {
        let found = problem("{\"a\": [1, 2\n")
        #expect(found?.message.contains("the array opened at line 1, column 7") == true)
        #expect(found?.line == 2)
        #expect(found?.column == 1)
    }

    // MARK: Encoding and limits

    @Test func rejectsInvalidUTF8AtItsPosition() {
        let found = problem(bytes: Array("{\n  \"a\": \"x".utf8) + [0xC3, 0x28] + Array("\"}".utf8))
        #expect(found?.line == 2)
        #expect(found?.column == 10)
        #expect(found?.message.contains("not valid UTF-8") == true)
        // Overlong encodings and encoded surrogates are invalid too.
        #expect(problem(bytes: [0x22, 0xC0, 0xAF, 0x22]) != nil)
        #expect(problem(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]) != nil)
        #expect(problem(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]) != nil)
        #expect(problem(bytes: [0x22, 0xE2, 0x82]) != nil)
    }

    @Test func acceptsNestingUpToTheLimitAndRejectsDeeper() throws {
        let depth = JSONCReader.defaultMaximumDepth
        _ = try read(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        let found = problem(String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1))
        #expect(found?.message.contains("nested more than 64 levels") == true)
        #expect(found?.column == depth + 1)
    }

    @Test func survivesAbsurdNesting() {
        let found = problem(String(repeating: "{\"a\":[", count: 100_000))
        #expect(found?.message.contains("nested more than 64 levels") == true)
    }

    @Test func readsATenMegabyteStringWhole() throws {
        let big = String(repeating: "abcdefghij", count: 1_048_576)
        let root = try read("{\"big\": \"" + big + "\", \"after\": 1}")
        let top = members(root)
        #expect(top[0].value.value == .string(big))
        #expect(top[1].keyColumn == 10 + big.utf8.count + 3)
    }

    @Test func readsATenMegabyteStringWithEscapes() throws {
        let unit = #"a\"b\\c\u00e9"#
        let text = "\"" + String(repeating: unit, count: 800_000) + "\""
        let node = try read(text)
        guard case .string(let value) = node.value else {
            Issue.record("not a string")
            return
        }
        #expect(value.unicodeScalars.count == 6 * 800_000)
    }
}
