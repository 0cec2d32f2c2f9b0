import Testing

@testable import EvolutionSimulator

@Suite struct WireJSONTextTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("ação 日本 😀", #""ação 日本 😀""#),
        ("quote \" and \\ backslash", #""quote \" and \\ backslash""#),
        ("lines\n\r\ttab\u{08}\u{0C}", #""lines\n\r\ttab\b\f""#),
        ("control \u{01}\u{1F}", #""control \u0001\u001f""#),
        ("", #""""#),
    ])
    func stringsAreWrittenAsJavaScriptDoes(value: String, expected: String) {
        #expect(WireJSON.string(value).text == expected)
    }

    @Test func objectsKeepTheirKeyOrderAndEscapeKeys() {
        let object = WireJSON.object(WireObject([("b\"", .number(1)), ("a", .array([.null, .bool(true), .number(2.5)]))]))
        #expect(object.text == #"{"b\"":1,"a":[null,true,2.5]}"#)
    }
}
