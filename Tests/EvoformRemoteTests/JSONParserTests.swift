import EvoformCore
import EvoformRemote
import Foundation
import Testing

@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Data(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(
            #" {"a": [1, -2.5, 3e2, 0, true, false, null], "b": {"c": "d"}, "e": [], "f": {}, "g": "\u00e9\n\"x\"\/" } "#)
        #expect(
            value
                == [
                    "a": [1, .number(-2.5), 300, 0, true, false, nil], "b": ["c": "d"], "e": [], "f": [:],
                    "g": "é\n\"x\"/",
                ])
    }

    @Test func decodesSurrogatePairsAndRawUTF8() throws {
        #expect(try parse(#""\ud83d\ude00 ação""#) == "😀 ação")
    }

    @Test func agreesWithJSONDecoderOnTheExamples() throws {
        for text in [
            Examples.v1FetchInstances, Examples.v2FetchInstances, Examples.v2ChatwootFind, Examples.v1ChatwootFind, "null",
            "[]", "\"only\"", "12",
        ] {
            let data = Data(text.utf8)
            #expect(try JSONParser.parse(data) == JSONDecoder().decode(JSONValue.self, from: data))
        }
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", "-", "1e", "tru", "\"abc", "\"\\x\"", "\"\\ud800\"",
        "[1] 2", "\"a\u{01}b\"", "nul",
    ])
    func rejectsWhatIsNotJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test func reportsWhereTheProblemIs() {
        #expect(throws: JSONParser.Failure(offset: 6, reason: "expected ',' or ']'")) { try parse("[1, 2 3]") }
    }

    @Test func refusesDeepNestingInsteadOfOverflowing() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? parse(fine)) != nil)
    }
}
