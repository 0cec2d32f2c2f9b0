import Testing

@testable import EvoformCore

@Suite struct JSONValueTests {
    @Test func canonicalTextSortsKeysAndEscapes() {
        let value: JSONValue = ["b": [1, .number(2.5), true, nil], "a": "line\n\"quoted\" \u{01}"]
        #expect(value.canonicalText == #"{"a":"line\n\"quoted\" \u0001","b":[1,2.5,true,null]}"#)
    }

    @Test func prettyTextIndents() {
        let value: JSONValue = ["a": [1], "b": [:]]
        #expect(value.prettyText() == "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}")
    }

    @Test func integerValueAcceptsNumericStrings() {
        #expect(JSONValue.string("42").integerValue == 42)
        #expect(JSONValue.number(42).integerValue == 42)
        #expect(JSONValue.number(4.5).integerValue == nil)
    }
}

@Suite struct SecretTests {
    @Test func secretsNeverPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "(sensitive)")
        #expect(String(reflecting: secret) == "(sensitive)")
        #expect(FieldValue.secret(SecretFingerprint(rawValue: "abc")).description == "(sensitive)")
    }
}

@Suite struct EventSelectionTests {
    @Test func emptyAndFullListMeanAll() {
        #expect(EventSelection.from([], version: .v1) == .all)
        #expect(EventSelection.from(EventCatalog.v2.reversed(), version: .v2) == .all)
        #expect(EventSelection.from(EventCatalog.v1, version: .v2) != .all)
        #expect(EventSelection.only(Set(EventCatalog.v1)).normalized(for: .v1) == .all)
    }

    @Test func catalogsHaveTheReferenceSizes() {
        #expect(EventCatalog.v1.count == 26)
        #expect(EventCatalog.v2.count == 31)
        #expect(Set(EventCatalog.v1).count == 26)
        #expect(Set(EventCatalog.v2).count == 31)
    }
}

@Suite struct ConfigurationTests {
    @Test func jsonRoundTripsEveryKind() {
        let configuration = InstanceConfiguration([
            .webhookURL: .string("https://x"), .webhookEvents: .events(.only(["CALL", "APPLICATION_STARTUP"])),
            .chatwootAccountID: .integer(7), .token: .secret(SecretFingerprint(rawValue: "ff")), .rejectCall: .bool(true),
            .chatwootDaysLimitImportMessages: .integer(60),
        ])
        #expect(InstanceConfiguration(json: configuration.json) == configuration)
        #expect(configuration.json.canonicalText.contains(#""webhook.events":["APPLICATION_STARTUP","CALL"]"#))
    }

    @Test func unknownKeysAreDroppedWhenReading() {
        let json: JSONValue = ["webhook.url": "https://x", "future.field": true, "settings.rejectCall": "notabool"]
        #expect(InstanceConfiguration(json: json) == InstanceConfiguration([.webhookURL: .string("https://x")]))
    }

    @Test func fieldOrdinalsAreDeclarationOrder() {
        #expect(MemoryLayout<Field>.size == 1)
        for (index, field) in Field.allCases.enumerated() { #expect(field.ordinal == index) }
        #expect(Field.allCases.sorted() == Field.allCases)
        #expect(Set(Field.allCases).count == Field.allCases.count)
    }

    @Test func everyFieldBelongsToOneGroupAndIgnoreKeysResolve() {
        for field in Field.allCases { #expect(Lifecycle.fields(forIgnoreKey: field.rawValue) == [field]) }
        #expect(Lifecycle.fields(forIgnoreKey: "webhook") == FieldGroup.webhook.fields)
        #expect(Lifecycle.fields(forIgnoreKey: "nope") == nil)
    }
}

@Suite struct SuggestionTests {
    @Test func suggestsCloseWordsOnly() {
        #expect(Suggestion.closest(to: "MESSAGE_UPSERT", in: EventCatalog.v2.map(\.rawValue)) == "MESSAGES_UPSERT")
        #expect(Suggestion.closest(to: "webhok", in: ["webhook", "events"]) == "webhook")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["webhook", "events"]) == nil)
        #expect(Suggestion.editDistance("ab", "ba") == 1)
    }

    /// A word too much longer than every candidate is answered without computing distances
    /// (a 1 MB manifest key took a minute); the answers at the edge are unchanged.
    @Test func aWordLongerThanEveryCandidateByMoreThanTheAllowanceGetsNoSuggestion() {
        let long = "chatwoot_days_limit_import_messages"  // 35 characters: 11 edits allowed
        #expect(Suggestion.closest(to: long + String(repeating: "x", count: 11), in: [long, "token"]) == long)
        #expect(Suggestion.closest(to: long + String(repeating: "x", count: 12), in: [long, "token"]) == nil)
        #expect(Suggestion.closest(to: "webhookxx", in: ["webhook"]) == "webhook")
        #expect(Suggestion.closest(to: "webhookxxx", in: ["webhook"]) == nil)
        // Lowercasing may lengthen a word ("İ" is "i" and a combining dot): still a suggestion.
        #expect(Suggestion.closest(to: "İİ", in: ["ii"]) == "ii")
        #expect(Suggestion.closest(to: String(repeating: "x", count: 1_000_000), in: ["webhook", "events"]) == nil)
    }
}
