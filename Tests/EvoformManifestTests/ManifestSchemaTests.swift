import EvoformCore
import Foundation
import Testing

@testable import EvoformManifest

/// `ManifestSchema` agrees with the validator: on every example and fixture, on targeted
/// manifests, and key by key with the decoder's tables.
///
/// The committed `examples/schema/evoform.schema.json` is the output of `evoform schema`;
/// after a deliberate change, regenerate it with `swift run evoform schema > examples/schema/evoform.schema.json`.
@Suite struct ManifestSchemaTests {
    static let schema = ManifestSchema.document
    static let validator = JSONSchemaValidator(root: schema)

    /// Manifests the validator rejects for a reason no JSON Schema of one document can express;
    /// the schema accepts them. Each entry must stay true (the test checks both sides).
    static let beyondSchema: [String: String] = [
        "invalid/alias-conflicts.json": "two spellings of one setting must hold the same value",
        "invalid/chatwoot-options-without-essentials.json":
            "Chatwoot options need the three Chatwoot essentials, which defaults may supply",
        "invalid/chatwoot-partial.json": "the three Chatwoot essentials come together, counting those from defaults",
        "invalid/duplicate-keys.json": "a JSON parser keeps one of two duplicate keys, so the schema never sees the other",
        "invalid/events-without-webhook.json": "events and webhook options need a webhook URL, which defaults may supply",
        "invalid/events-wrong-version.json": "which events are known depends on server.apiVersion",
        "invalid/name-duplicate.json": "instance names are unique across instances",
        "invalid/secret-not-echoed.json": "values read from environment variables that break the rules",
        "invalid/token-duplicate.json": "tokens are unique across instances (checked on their values)",
        "invalid/webhook-enabled-without-url.json": "an enabled webhook needs a URL, which defaults may supply",
    ]

    static func schemaErrors(of bytes: [UInt8]) -> [String]? {
        guard let document = try? JSONCReader.read(bytes), let root = document.root else { return nil }
        return validator.errors(of: root.jsonValue)
    }

    @Test(arguments: CorpusManifest.all)
    func schemaAndValidatorAgree(_ manifest: CorpusManifest) throws {
        let validatorAccepts: Bool
        var validatorErrors = ""
        switch manifest.load() {
        case .success: validatorAccepts = true
        case .failure(let error):
            validatorAccepts = false
            validatorErrors = TestSupport.render(error.errors)
        }
        // A file that is not a JSON document is rejected by any schema.
        let errors = Self.schemaErrors(of: manifest.bytes)
        let schemaAccepts = errors?.isEmpty ?? false
        if let reason = Self.beyondSchema[manifest.name] {
            #expect(!validatorAccepts, "\(manifest) is listed as beyond the schema (\(reason)) but evoform accepts it")
            #expect(schemaAccepts, "\(manifest) is listed as beyond the schema (\(reason)) but the schema rejects it: \(errors ?? [])")
        } else {
            #expect(
                schemaAccepts == validatorAccepts,
                "\(manifest): schema \(schemaAccepts ? "accepts" : "rejects") (\(errors ?? ["not JSON"])), evoform \(validatorAccepts ? "accepts" : "rejects") (\(validatorErrors))"
            )
        }
    }

    @Test func everyListedExceptionIsInTheCorpus() {
        let names = Set(CorpusManifest.all.map(\.name))
        for name in Self.beyondSchema.keys { #expect(names.contains(name), "\(name)") }
    }

    /// Small manifests, each breaking (or keeping) one rule: the schema and evoform agree on all.
    static let targeted: [(String, Bool)] = [
        (#"{"instances": []}"#, true),
        (#"{"instances": [{"instanceName": "a1", "qrcode": null, "lifecycle": null, "webhook": null}]}"#, true),
        (#"{"server": null, "defaults": null, "instances": []}"#, true),
        (#"{"$schema": "./evoform.schema.json", "instances": []}"#, true),
        (#"{"instances": [{"instanceName": "a1", "token": "${A1_TOKEN:-abc-1}"}]}"#, true),
        (#"{"instances": [{"instanceName": "a${N}", "token": "T-${X}"}]}"#, true),
        (#"{"instances": [{"instanceName": "a1", "token": "abc_1"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "token": ""}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "token": null}]}"#, true),
        (#"{"instances": [{"instanceName": null}]}"#, false),
        (#"{"instances": [{"instanceName": "A1"}]}"#, false),
        (#"{"instances": [{"qrcode": true}]}"#, false),
        (#"{"instances": [null]}"#, false),
        (#"{"instances": null}"#, false),
        (#"{"instances": [{"instanceName": "a1", "qrcode": "true"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "integration": "WHATSAPP-BAILEYS"}]}"#, true),
        (#"{"instances": [{"instanceName": "a1", "integration": "EVOLUTION"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "webhook": "https://h.example.com", "events": []}]}"#, true),
        (#"{"instances": [{"instanceName": "a1", "webhook": "https://h.example.com", "events": ["MESSAGES_UPSERT", "MESSAGES_UPSERT"]}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "webhook": "https://h.example.com", "events": ["NOPE"]}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "webhook": {"url": "https://h.example.com", "enabled": false, "events": ["CALL"]}}]}"#, true),
        (#"{"instances": [{"instanceName": "a1", "webhook": {"url": "https://h.example.com", "headers": {}}}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "webhook": "h.example.com"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "webhook": "https://h.example.com:0"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "webhook": "${HOOKS}/a1"}]}"#, true),
        (#"{"instances": [{"instanceName": "a1", "webhook": "https://h.example.com/${1X}"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "msg_call": "${"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "msg_call": "$${literal} and $5"}]}"#, true),
        (#"{"instances": [{"instanceName": "a1", "chatwoot_account_id": "0", "chatwoot_token": "t", "chatwoot_url": "https://c.example.com"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "chatwoot_account_id": "012", "chatwoot_token": "t", "chatwoot_url": "https://c.example.com"}]}"#, true),
        (#"{"instances": [{"instanceName": "a1", "chatwoot_account_id": 2, "chatwoot_token": "", "chatwoot_url": "https://c.example.com"}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "chatwoot_account_id": 2, "chatwoot_token": "t", "chatwoot_url": "https://c.example.com", "chatwoot_days_limit_import_messages": 1000000001}]}"#, false),
        (#"{"instances": [{"instanceName": "a1", "lifecycle": {"prevent_destroy": true, "ignore_changes": ["chatwoot.token", "settings"]}}]}"#, true),
        (#"{"instances": [{"instanceName": "a1", "lifecycle": {"ignoreChanges": ["everything"]}}]}"#, false),
        (#"{"defaults": {"token": "abc"}, "instances": []}"#, false),
        (#"{"defaults": {"instanceName": "abc"}, "instances": []}"#, false),
        (#"{"defaults": {"events": ["CALL"], "webhookByEvents": true, "rejectCall": true}, "instances": []}"#, true),
        (#"{"server": {"url": "http://127.0.0.1:8080", "apiKey": "${KEY}", "apiVersion": "v2", "insecure": false}, "instances": []}"#, true),
        (#"{"server": {"url": "https://127.0.0.1:8443", "apiKey": "${KEY}", "caFile": "certs/ca.pem"}, "instances": []}"#, true),
        (#"{"server": {"caFile": null}, "instances": []}"#, true),
        (#"{"server": {"caFile": ""}, "instances": []}"#, false),
        (#"{"server": {"caFile": true}, "instances": []}"#, false),
        (#"{"server": {"url": null}, "instances": []}"#, false),
        (#"{"server": {"apiVersion": "v3"}, "instances": []}"#, false),
        (#"{"server": {"apiKey": ""}, "instances": []}"#, false),
        (#"{"server": {"timeout": 5}, "instances": []}"#, false),
        (#"{"fleet": [], "instances": []}"#, false),
    ]

    @Test(arguments: 0..<ManifestSchemaTests.targeted.count)
    func schemaAndValidatorAgreeOnTargetedManifests(_ offset: Int) throws {
        let (text, expected) = Self.targeted[offset]
        let environment = ["A1_TOKEN": "abc-1", "N": "1", "X": "x", "HOOKS": "https://hooks.example.com", "KEY": "k"]
        let evoformAccepts = (try? TestSupport.load(text, environment: environment, requireVariables: true)) != nil
        let schemaErrors = Self.schemaErrors(of: Array(text.utf8)) ?? ["not JSON"]
        #expect(evoformAccepts == expected, "evoform on \(text)")
        #expect(schemaErrors.isEmpty == expected, "schema on \(text): \(schemaErrors)")
    }

    // MARK: The tables

    func definition(_ name: String) -> JSONValue { Self.schema["$defs"]![name]! }

    func propertyNames(_ schema: JSONValue) -> Set<String> { Set(schema["properties"]?.objectValue?.keys ?? [:].keys) }

    @Test func theSchemaIsDraft202012AndClosed() {
        #expect(Self.schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(Self.schema["required"] == ["instances"])
        for object in [Self.schema, definition("server"), definition("instance"), definition("defaults"),
            definition("webhook"), definition("lifecycle")]
        {
            #expect(object["additionalProperties"] == false)
        }
    }

    @Test func everyKeyTheDecoderAcceptsIsInTheSchema() {
        #expect(propertyNames(Self.schema) == Set(ManifestDecoder.rootKeys))
        #expect(propertyNames(definition("server")) == Set(ManifestDecoder.serverKeys))
        let instanceKeys = Set(ManifestField.instanceKeys)
        #expect(propertyNames(definition("instance")) == instanceKeys)
        #expect(instanceKeys.isSuperset(of: ["instanceName", "webhook_by_events", "webhookByEvents", "chatwootAccountId", "lifecycle"]))
        let defaultsKeys = instanceKeys.subtracting(["instanceName", "token"])
        #expect(propertyNames(definition("defaults")) == defaultsKeys)
        #expect(propertyNames(definition("webhook")) == Set(ManifestField.webhookObjectKeys.map(\.key)))
        #expect(propertyNames(definition("lifecycle")) == Set(ManifestField.lifecycleKeys.map(\.key)))
        #expect(definition("instance")["required"] == ["instanceName"])
    }

    @Test func theEventsAreBothVersionsLists() {
        let names = Set(definition("event")["enum"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(names == Set(EventCatalog.any.map(\.rawValue)))
        #expect(names.contains("CHAMA_AI_ACTION") && names.contains("MESSAGES_EDITED"))
    }

    @Test func everySettingHasADescriptionNamingItsOtherSpellings() throws {
        for object in ["instance", "defaults", "webhook", "lifecycle", "server"] {
            for (key, property) in definition(object)["properties"]?.objectValue ?? [:] {
                let text = property["description"]?.stringValue ?? ""
                #expect(text.count > 20, "\(object).\(key)")
            }
        }
        let byEvents = definition("instance")["properties"]!["webhook_by_events"]!["description"]!.stringValue!
        #expect(byEvents.contains("Want to generate a specific Webhook URL for each of your events?"))
        #expect(byEvents.contains("\"webhookByEvents\"") && byEvents.contains("\"webhook.byEvents\""))
    }

    /// Walks every sub-schema: each `$ref` resolves and each `pattern` compiles.
    @Test func everyReferenceResolvesAndEveryPatternCompiles() {
        var references = 0
        var patterns = 0
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let reference = members["$ref"]?.stringValue {
                    references += 1
                    #expect(Self.validator.resolve(reference) != nil, "\(reference)")
                }
                if let pattern = members["pattern"]?.stringValue {
                    patterns += 1
                    #expect((try? NSRegularExpression(pattern: pattern)) != nil, "\(pattern)")
                }
                members.values.forEach(walk)
            case .array(let elements):
                elements.forEach(walk)
            default:
                break
            }
        }
        walk(Self.schema)
        #expect(references > 10)
        #expect(patterns > 10)
    }

    // MARK: Patterns against the value rules

    func matches(_ pattern: String, _ text: String) -> Bool {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
    }

    static let urls = [
        "https://hooks.example.com", "http://10.0.0.5:3000/hooks", "HTTPS://EXAMPLE.COM", "Http://x",
        "https://user:pa@ss@host.example.com/x", "https://[::1]:8080/x", "https://[::1]", "https://h:65535",
        "https://h:00080/", "https://café.example.com/ção", "http://a/?q=1#f", "https://host#frag", "https://h_o%st",
        "https://h.example.com/a{b}$c", "", "ftp://x", "/relative", "https:///no-host", "https://h:0", "https://h:65536",
        "https://h:", "https://h:123456", "https://h:000080", "https://a b", "https://h/\u{7}", "https://h/\u{7F}",
        "https://[::1", "https://[::1]x", "https://exa<mple.com", "https://h:80a", "127.0.0.1:8080", "https://@/",
        "https://user@:80", "https://h\u{A0}x", "mailto:a@b.c", "https//h", "https://h/p\tq", "https://a:b:c",
    ]

    @Test(arguments: ManifestSchemaTests.urls)
    func theURLPatternIsTheURLRule(_ url: String) {
        let rule = ValueRules.urlProblem(url, subject: "URL", sample: "https://x") == nil
        #expect(matches(ManifestSchema.urlPattern, url) == rule, "\(url): the rule says \(rule ? "valid" : "invalid")")
    }

    static let names = ["sales01", "a", "0", "", "Sales", "sales-01", "vendasão", "a b", " x", "x\n", "ǆ"]

    @Test(arguments: ManifestSchemaTests.names)
    func theInstanceNamePatternIsTheNameRule(_ name: String) {
        #expect(matches(ManifestSchema.instanceNamePattern, name) == (ValueRules.instanceNameProblem(name) == nil), "\(name)")
    }

    static let tokens = ["abc-123", "A", "4F1E2D3C-AAAA-4BBB-8CCC-123456789ABC", "", "a_b", "a b", "tökén", "a\n", "-"]

    @Test(arguments: ManifestSchemaTests.tokens)
    func theTokenPatternIsTheTokenRule(_ token: String) {
        #expect(
            matches(ManifestSchema.tokenPattern, token) == (ValueRules.tokenProblem(token, interpolated: false) == nil),
            "\(token)")
    }

    @Test func thePatternsTakeWellFormedReferencesOnly() throws {
        for text in ["${NAME}", "sales${N}", "${N:-sales01}"] {
            #expect(matches(ManifestSchema.instanceNamePattern, text), "\(text)")
        }
        for text in ["${N:-Sales}", "${1N}", "${N", "$${N}"] {
            #expect(!matches(ManifestSchema.instanceNamePattern, text), "\(text)")
        }
        for text in ["${T}", "${T:-abc-1}", "pre-${T}"] { #expect(matches(ManifestSchema.tokenPattern, text), "\(text)") }
        for text in ["${T:-a b}", "${}", "${T:?x}"] { #expect(!matches(ManifestSchema.tokenPattern, text), "\(text)") }
        // Free text: exactly what the interpolation accepts.
        for text in ["", "plain", "$", "$5", "a$", "$${x", "$$${X}", "${A}${B:-}", "${A:-{x}", "\n$${"] {
            let accepted = (try? Interpolation.expand(text, environment: [:])) != nil
            #expect(accepted, "\(text)")
            #expect(matches(ManifestSchema.textPattern, text), "\(text)")
        }
        for text in ["${", "${A", "${1}", "${A B}", "${A:?x}", "x${}y", "${A:-x"] {
            let accepted = (try? Interpolation.expand(text, environment: [:])) != nil
            #expect(!accepted, "\(text)")
            #expect(!matches(ManifestSchema.textPattern, text), "\(text)")
        }
    }

    // MARK: The committed schema and the examples

    static let committedSchema = TestPaths.packageRoot.appendingPathComponent("examples/schema/evoform.schema.json")

    @Test func theCommittedSchemaIsTheGeneratedOne() throws {
        let committed = try String(contentsOf: Self.committedSchema, encoding: .utf8)
        #expect(
            committed == Self.schema.prettyText() + "\n",
            "examples/schema/evoform.schema.json is out of date: run 'swift run evoform schema > examples/schema/evoform.schema.json'")
    }

    @Test(arguments: CorpusManifest.examples)
    func everyExampleNamesTheCommittedSchema(_ example: CorpusManifest) throws {
        let root = try #require(try JSONCReader.read(example.bytes).root)
        #expect(root.jsonValue["$schema"] == "./schema/evoform.schema.json", "\(example)")
        let schemaFile = example.url.deletingLastPathComponent().appendingPathComponent("schema/evoform.schema.json")
        #expect(FileManager.default.fileExists(atPath: schemaFile.standardizedFileURL.path))
        #expect(Self.validator.errors(of: root.jsonValue) == [], "\(example)")
    }
}
