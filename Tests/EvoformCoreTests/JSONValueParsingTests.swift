import Foundation
import Testing

@testable import EvoformCore

@Suite struct JSONValueParsingTests {
    /// Documents the Codable path (JSONDecoder) reads too: both must give the same value.
    static let documents: [String] = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-0.5e-3,"g":12345678901234}"#,
        #"  [ 1 , 2.0 , "three" , { } , [ ] ]  "#,
        #""plain""#,
        #"{"escapes":"\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83d\ude00","unicode":"ação 日本 😀"}"#,
        #"[{"instance":{"instanceName":"sales01","status":"open","apikey":"A-B"}},{"name":"x","Setting":{"rejectCall":true,"msgCall":""}}]"#,
        #"{"dup":1,"dup":2}"#,
        "0", "-0", "1E+2", "3.25", "true", "null",
    ]

    @Test(arguments: documents)
    func parsingMatchesTheCodableDecoder(text: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(try JSONValue(parsing: text) == expected)
        #expect(try JSONValue(parsing: Data(text.utf8)) == expected)
    }

    @Test func canonicalTextParsesBackToTheSameValue() throws {
        let value: JSONValue = [
            "list": [1, .number(2.5), "x\u{01}\"", nil, [:]], "nested": ["deep": [[["a": true]]]], "empty": "",
        ]
        #expect(try JSONValue(parsing: value.canonicalText) == value)
        #expect(try JSONValue(parsing: value.prettyText()) == value)
    }

    @Test func surrogatePairsJoinAndLoneSurrogatesAreReplaced() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#) == "😀")
        #expect(try JSONValue(parsing: #""a\ud83db""#) == "a\u{FFFD}b")
        #expect(try JSONValue(parsing: #""\ude00""#) == "\u{FFFD}")
        #expect(try JSONValue(parsing: #""\ud83d\u0041""#) == "\u{FFFD}A")
    }

    @Test(arguments: [
        ("", 0), ("   ", 3), ("{", 1), ("[1,]", 3), ("[1 2]", 3), (#"{"a" 1}"#, 5), (#"{"a":1,}"#, 7), ("{a:1}", 1),
        ("01", 1), ("1.", 2), ("-", 1), (".5", 0), ("1e", 2), ("+1", 0), ("tru", 0), ("nul", 0), ("[true false]", 6),
        (#""abc"#, 4), ("\"a\u{01}b\"", 2), (#""\x""#, 2), (#""\u12G4""#, 5), ("1e999", 0), ("{} {}", 3),
    ])
    func invalidTextIsRefusedWithItsOffset(text: String, offset: Int) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
        }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(try JSONValue(parsing: fine).arrayValue?.count == 1)
    }

    @Test func invalidUTF8InAStringBecomesTheReplacementCharacter() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(try JSONValue(parsing: bytes) == "a\u{FFFD}b")
    }
}
