import EvoformCore
import Foundation
import Testing

@testable import EvoformManifest

/// Manifests with huge keys, names and values, found while fuzzing the loader (`Tests/Fuzz`):
/// each must give its clean, short error. Before the fixes a 200 kB unknown key took a minute
/// ("did you mean" computed edit distances to every key), a 2 MB name of accented letters took
/// minutes (whole-string Unicode decomposition is quadratic in Foundation on Linux), and a long
/// key was repeated in full in the diagnostic's path.
@Suite struct ManifestHugeInputTests {
    func errors(_ text: String) -> [Diagnostic] {
        do {
            _ = try TestSupport.load(text)
            Issue.record("loaded without errors")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func aHugeUnknownKeyIsReportedShortWithoutASuggestion() throws {
        let key = String(repeating: "x", count: 1_000_000)
        let found = errors(#"{"instances": [{"instanceName": "sales01", "\#(key)": 1}]}"#)
        let error = try #require(found.first)
        #expect(found.count == 1)
        let cut = String(repeating: "x", count: 59) + "…"
        #expect(error.path == #"instances[0]["\#(cut)"]"#)
        #expect(
            error.message
                == #"unknown key "\#(cut)"; remove it (an instance accepts the settings of the Evolution API create payload)"#
        )
    }

    @Test func aHugeUnknownEventGetsNoSuggestion() throws {
        let event = String(repeating: "MESSAGES_UPSERT", count: 20_000)
        let found = errors(
            #"{"instances": [{"instanceName": "sales01", "webhook": "https://hooks.example.com/a", "events": ["\#(event)"]}]}"#)
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.path == "instances[0].events[0]")
        #expect(error.message.hasPrefix(#"unknown event "MESSAGES_UPSERTMESSAGES_UPSERT"#))
        #expect(!error.message.contains("did you mean"))
    }

    @Test func aKeyOfExactlyTheQuoteLimitStaysAPlainPathStep() throws {
        let key = "webhook" + String(repeating: "x", count: MessageText.quoteLimit - 7)
        let found = errors(#"{"instances": [{"instanceName": "sales01", "\#(key)": 1}]}"#)
        #expect(found.first?.path == "instances[0].\(key)")
    }

    @Test func aHugeNameOfAccentedLettersGetsItsSuggestion() throws {
        let name = "Sales" + String(repeating: "é\u{323}\u{301}", count: 300_000)
        let found = errors(#"{"instances": [{"instanceName": "\#(name)"}]}"#)
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.message.hasPrefix("instanceName \"Sales" + String(repeating: "é\u{323}\u{301}", count: 2)))
        #expect(error.message.hasSuffix(#": did you mean "salesee\#(String(repeating: "e", count: 52))…"?"#))
    }

    /// `suggestedName` decomposes scalar by scalar; it must say what decomposing the whole name
    /// says, for canonical singletons, compositions, Hangul, marks in any order and letters with
    /// only compatibility decompositions (which it leaves out).
    @Test(arguments: [
        "Ça Va", "İstanbul", "\u{212A}elvin", "\u{212B}ngstrom", "\u{2126}hm", "ﬁle", "Ａｂｃ", "e\u{323}\u{301}x",
        "\u{301}abc", "한국a1", "ǅemal", "ẞtraße", "Ωmega", "①②3", "ÀÉÎÕÜ ñ ç", "a\u{0344}\u{0345}\u{0301}b",
        "Ǖ\u{0308}\u{0301}Ǖ", "ΣΑΣ", "\u{1E9B}\u{0323}", "Ａ\u{0301}", "\u{0F73}\u{0F75}", "\u{1D15E}z",
    ])
    func suggestedNameMatchesWholeStringDecomposition(name: String) {
        var expected = String.UnicodeScalarView()
        for scalar in name.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars
        where (0x61...0x7A).contains(scalar.value) || (0x30...0x39).contains(scalar.value) {
            expected.append(scalar)
        }
        #expect(ValueRules.suggestedName(for: name) == String(expected))
    }
}
