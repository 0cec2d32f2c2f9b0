import Testing

@testable import EvoformManifest

@Suite struct InterpolationTests {
    let environment = ["TOKEN": "abc-123", "EMPTY": "", "HOST": "hooks.example.com", "ÜBER": "x"]

    func expand(_ text: String) throws(Interpolation.SyntaxError) -> Interpolation.Expansion {
        try Interpolation.expand(text, environment: environment)
    }

    @Test func leavesTextWithoutReferencesAlone() throws {
        #expect(try expand("plain text") == .init(text: "plain text", isInterpolated: false, missing: []))
        #expect(try expand("") == .init(text: "", isInterpolated: false, missing: []))
    }

    @Test func replacesASetVariable() throws {
        #expect(try expand("${TOKEN}") == .init(text: "abc-123", isInterpolated: true, missing: []))
        #expect(
            try expand("https://${HOST}/a/${TOKEN}?x=1")
                == .init(text: "https://hooks.example.com/a/abc-123?x=1", isInterpolated: true, missing: []))
    }

    @Test func aVariableSetToEmptyIsEmptyNotMissing() throws {
        #expect(try expand("[${EMPTY}]") == .init(text: "[]", isInterpolated: true, missing: []))
    }

    @Test func reportsMissingVariablesInOrder() throws {
        let expansion = try expand("${A}-${TOKEN}-${B}-${A}")
        #expect(expansion.text == "-abc-123--")
        #expect(expansion.missing == ["A", "B", "A"])
        #expect(expansion.isInterpolated)
    }

    @Test func usesTheDefaultWhenUnsetOrEmpty() throws {
        #expect(try expand("${MISSING:-fallback}").text == "fallback")
        #expect(try expand("${EMPTY:-fallback}").text == "fallback")
        #expect(try expand("${TOKEN:-fallback}").text == "abc-123")
        #expect(try expand("${MISSING:-}").text == "")
        #expect(try expand("${MISSING:-a:b - c/d?e=f}").text == "a:b - c/d?e=f")
        #expect(try expand("${MISSING:-fallback}").missing.isEmpty)
        #expect(try expand("${MISSING:-fallback}").isInterpolated)
    }

    @Test func doubleDollarBraceIsALiteral() throws {
        #expect(try expand("$${TOKEN}") == .init(text: "${TOKEN}", isInterpolated: false, missing: []))
        #expect(try expand("price $${X} and ${TOKEN}").text == "price ${X} and abc-123")
        #expect(try expand("$$${TOKEN}").text == "$${TOKEN}")  // "$", then the escape "$${"
    }

    @Test func otherDollarsAreKept() throws {
        #expect(try expand("$5 $ $$ $TOKEN a$") == .init(text: "$5 $ $$ $TOKEN a$", isInterpolated: false, missing: []))
    }

    @Test func keepsUnicodeAroundReferences() throws {
        #expect(try expand("São ${TOKEN} 🚀").text == "São abc-123 🚀")
    }

    @Test(arguments: ["${TOKEN", "abc ${", "${}", "${1A}", "${A B}", "${A:?err}", "${A-b}", "${ÜBER}", "${A:}"])
    func rejectsMalformedReferences(_ text: String) {
        #expect(throws: Interpolation.SyntaxError.self) { try expand(text) }
    }

    @Test func syntaxMessagesNeverQuoteTheText() {
        do {
            _ = try expand("s3cr3t-value ${s3cr3t")
            Issue.record("expected a syntax error")
        } catch {
            #expect(!error.message.contains("s3cr3t"))
            #expect(error.message.contains("$${"))
        }
    }
}
