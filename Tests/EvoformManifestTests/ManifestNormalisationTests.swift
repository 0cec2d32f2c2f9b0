import EvoformCore
import Foundation
import Testing

@testable import EvoformManifest

/// From manifest text to `DesiredInstance`: field mapping, defaults, aliases, lifecycle, server.
@Suite struct ManifestNormalisationTests {
    func instances(
        _ text: String, environment: [String: String] = [:], requireVariables: Bool = true
    ) throws -> [DesiredInstance] {
        try TestSupport.load(text, environment: environment, requireVariables: requireVariables).manifest.instances
    }

    func only(_ text: String, environment: [String: String] = [:]) throws -> DesiredInstance {
        let all = try instances(text, environment: environment)
        try #require(all.count == 1)
        return all[0]
    }

    @Test func aBasicInstanceManagesOnlyWhatItSays() throws {
        let instance = try only(
            #"{"instances": [{"instanceName": "sales01", "token": "${T}", "qrcode": true}]}"#,
            environment: ["T": "abc-123"])
        #expect(instance.name == "sales01")
        #expect(instance.configuration == InstanceConfiguration([.qrcode: .bool(true)]))
        #expect(instance.secrets == [.token: Secret("abc-123")])
        #expect(instance.lifecycle == Lifecycle())
    }

    @Test func aNameAloneManagesNothing() throws {
        let instance = try only(#"{"instances": [{"instanceName": "sales01"}]}"#)
        #expect(instance.configuration.values.isEmpty)
        #expect(instance.secrets.isEmpty)
    }

    @Test func aWebhookURLManagesEnabledAndAllEventsWhenNoneAreListed() throws {
        let instance = try only(#"{"instances": [{"instanceName": "a1", "webhook": "https://h.example.com/x"}]}"#)
        #expect(
            instance.configuration
                == InstanceConfiguration([
                    .webhookURL: .string("https://h.example.com/x"), .webhookEnabled: .bool(true),
                    .webhookEvents: .events(.all),
                ]))
    }

    @Test func theDocumentedWebhookPayloadMapsEveryField() throws {
        let instance = try only(
            """
            {"instances": [{"instanceName": "a1", "webhook": "https://h.example.com/x", "webhookByEvents": true,
              "webhook_base64": false, "events": ["MESSAGES_UPSERT", "CONNECTION_UPDATE"]}]}
            """)
        #expect(
            instance.configuration
                == InstanceConfiguration([
                    .webhookURL: .string("https://h.example.com/x"), .webhookEnabled: .bool(true),
                    .webhookByEvents: .bool(true), .webhookBase64: .bool(false),
                    .webhookEvents: .events(.only(["MESSAGES_UPSERT", "CONNECTION_UPDATE"])),
                ]))
    }

    @Test func theNestedV2WebhookObjectMapsTheSameFields() throws {
        let instance = try only(
            """
            {"instances": [{"instanceName": "a1", "webhook": {"url": "https://h.example.com/x", "byEvents": true,
              "base64": true, "enabled": false, "events": []}}]}
            """)
        #expect(
            instance.configuration
                == InstanceConfiguration([
                    .webhookURL: .string("https://h.example.com/x"), .webhookEnabled: .bool(false),
                    .webhookByEvents: .bool(true), .webhookBase64: .bool(true), .webhookEvents: .events(.all),
                ]))
    }

    @Test func aDisabledWebhookWithoutEventsDoesNotManageEvents() throws {
        let instance = try only(
            #"{"instances": [{"instanceName": "a1", "webhook": {"url": "https://h.example.com", "enabled": false}}]}"#)
        #expect(instance.configuration[.webhookEvents] == nil)
        #expect(instance.configuration[.webhookEnabled] == .bool(false))
    }

    @Test func aWebhookDisabledWithoutURLManagesOnlyEnabled() throws {
        let instance = try only(#"{"instances": [{"instanceName": "a1", "webhook": {"enabled": false}}]}"#)
        #expect(instance.configuration == InstanceConfiguration([.webhookEnabled: .bool(false)]))
    }

    @Test func theFullEventListOfAFixedVersionMeansAll() throws {
        let names = EventCatalog.v1.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
        let fixed = try only(
            #"{"server": {"apiVersion": "v1"}, "instances": [{"instanceName": "a1", "webhook": "https://h.example.com", "events": ["#
                + names + "]}]}")
        #expect(fixed.configuration[.webhookEvents] == .events(.all))
        let auto = try only(
            #"{"instances": [{"instanceName": "a1", "webhook": "https://h.example.com", "events": ["# + names + "]}]}")
        #expect(auto.configuration[.webhookEvents] == .events(.only(Set(EventCatalog.v1))))
    }

    @Test func chatwootEssentialsManageEnabledAndTheTokenIsASecret() throws {
        let instance = try only(
            """
            {"instances": [{"instanceName": "h1", "chatwoot_account_id": "12", "chatwoot_token": "${CW}",
              "chatwoot_url": "https://app.chatwoot.com", "chatwoot_sign_msg": true}]}
            """, environment: ["CW": "cw-secret"])
        #expect(
            instance.configuration
                == InstanceConfiguration([
                    .chatwootEnabled: .bool(true), .chatwootAccountID: .integer(12),
                    .chatwootURL: .string("https://app.chatwoot.com"), .chatwootSignMsg: .bool(true),
                ]))
        #expect(instance.secrets == [.chatwootToken: Secret("cw-secret")])
    }

    @Test func theAccountIDMayBeANumberOrANumericString() throws {
        for spelling in ["7", "\"7\"", "7.0", "\"${ACCOUNT}\""] {
            let instance = try only(
                """
                {"instances": [{"instanceName": "h1", "chatwoot_account_id": \(spelling), "chatwoot_token": "${CW}",
                  "chatwoot_url": "https://app.chatwoot.com"}]}
                """, environment: ["CW": "x", "ACCOUNT": "7"])
            #expect(instance.configuration[.chatwootAccountID] == .integer(7), "\(spelling)")
        }
    }

    @Test func everySnakeCaseAndCamelCaseSettingMapsToItsField() throws {
        let snake: [(String, String, Field, FieldValue)] = [
            ("chatwoot_reopen_conversation", "true", .chatwootReopenConversation, .bool(true)),
            ("chatwoot_conversation_pending", "true", .chatwootConversationPending, .bool(true)),
            ("chatwoot_name_inbox", "\"Inbox\"", .chatwootNameInbox, .string("Inbox")),
            ("chatwoot_import_contacts", "false", .chatwootImportContacts, .bool(false)),
            ("chatwoot_import_messages", "true", .chatwootImportMessages, .bool(true)),
            ("chatwoot_days_limit_import_messages", "60", .chatwootDaysLimitImportMessages, .integer(60)),
            ("chatwoot_merge_brazil_contacts", "true", .chatwootMergeBrazilContacts, .bool(true)),
            ("chatwoot_sign_msg", "false", .chatwootSignMsg, .bool(false)),
            ("reject_call", "true", .rejectCall, .bool(true)),
            ("msg_call", "\"busy\"", .msgCall, .string("busy")),
            ("groups_ignore", "false", .groupsIgnore, .bool(false)),
            ("always_online", "true", .alwaysOnline, .bool(true)),
            ("read_messages", "true", .readMessages, .bool(true)),
            ("read_status", "false", .readStatus, .bool(false)),
            ("sync_full_history", "true", .syncFullHistory, .bool(true)),
        ]
        let essentials = #""chatwoot_account_id": 1, "chatwoot_token": "${CW}", "chatwoot_url": "https://c.example.com""#
        for (key, value, field, expected) in snake {
            let camel = Self.camelCase(key)
            for spelling in [key, camel] {
                let instance = try only(
                    #"{"instances": [{"instanceName": "h1", "# + essentials + ", \"\(spelling)\": \(value)}]}",
                    environment: ["CW": "x"])
                #expect(instance.configuration[field] == expected, "\(spelling)")
            }
        }
    }

    /// `chatwoot_sign_msg` -> `chatwootSignMsg`, `reject_call` -> `rejectCall`.
    static func camelCase(_ key: String) -> String {
        let parts = key.split(separator: "_")
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    // MARK: Defaults

    @Test func theInstancesOwnValueWinsOverDefaults() throws {
        let all = try instances(
            """
            {"defaults": {"qrcode": false, "reject_call": true, "msg_call": "no"},
             "instances": [{"instanceName": "a1"}, {"instanceName": "a2", "qrcode": true, "msg_call": "yes"}]}
            """)
        #expect(all[0].configuration[.qrcode] == .bool(false))
        #expect(all[0].configuration[.msgCall] == .string("no"))
        #expect(all[1].configuration[.qrcode] == .bool(true))
        #expect(all[1].configuration[.msgCall] == .string("yes"))
        #expect(all[1].configuration[.rejectCall] == .bool(true))
    }

    @Test func aNestedWebhookInDefaultsMergesFieldByField() throws {
        let all = try instances(
            """
            {"defaults": {"webhook": {"url": "https://default.example.com", "byEvents": true, "events": ["CALL"]}},
             "instances": [
               {"instanceName": "a1", "webhook": {"byEvents": false}},
               {"instanceName": "a2", "webhook": "https://own.example.com", "events": ["MESSAGES_UPSERT"]},
               {"instanceName": "a3"}
             ]}
            """)
        #expect(all[0].configuration[.webhookURL] == .string("https://default.example.com"))
        #expect(all[0].configuration[.webhookByEvents] == .bool(false))
        #expect(all[0].configuration[.webhookEvents] == .events(.only(["CALL"])))
        #expect(all[1].configuration[.webhookURL] == .string("https://own.example.com"))
        #expect(all[1].configuration[.webhookByEvents] == .bool(true))
        #expect(all[1].configuration[.webhookEvents] == .events(.only(["MESSAGES_UPSERT"])))
        #expect(all[2].configuration[.webhookURL] == .string("https://default.example.com"))
    }

    @Test func defaultWebhookOptionsReachOnlyInstancesWithAWebhook() throws {
        let all = try instances(
            """
            {"defaults": {"events": ["MESSAGES_UPSERT"], "webhookByEvents": true, "webhook_base64": true},
             "instances": [{"instanceName": "plain"}, {"instanceName": "hooked", "webhook": "https://h.example.com"}]}
            """)
        #expect(all[0].configuration.values.isEmpty)
        #expect(all[1].configuration[.webhookEvents] == .events(.only(["MESSAGES_UPSERT"])))
        #expect(all[1].configuration[.webhookByEvents] == .bool(true))
        #expect(all[1].configuration[.webhookBase64] == .bool(true))
    }

    @Test func defaultChatwootSettingsReachOnlyInstancesThatCompleteThem() throws {
        let all = try instances(
            """
            {"defaults": {"chatwoot_url": "https://app.chatwoot.com", "chatwoot_token": "${CW}", "chatwoot_sign_msg": true},
             "instances": [{"instanceName": "plain"}, {"instanceName": "desk", "chatwoot_account_id": 3}]}
            """, environment: ["CW": "x"])
        #expect(all[0].configuration.values.isEmpty)
        #expect(all[0].secrets.isEmpty)
        #expect(all[1].configuration[.chatwootEnabled] == .bool(true))
        #expect(all[1].configuration[.chatwootSignMsg] == .bool(true))
        #expect(all[1].secrets[.chatwootToken] == Secret("x"))
    }

    @Test func nullInAnInstanceCancelsTheDefault() throws {
        let instance = try only(
            """
            {"defaults": {"qrcode": true, "webhook": "https://h.example.com", "events": ["CALL"]},
             "instances": [{"instanceName": "a1", "qrcode": null, "webhook": null}]}
            """)
        #expect(instance.configuration.values.isEmpty)
    }

    @Test func defaultsMayUseTheV2Spellings() throws {
        let instance = try only(
            #"{"defaults": {"rejectCall": true, "msgCall": "x"}, "instances": [{"instanceName": "a1", "reject_call": false}]}"#)
        #expect(instance.configuration[.rejectCall] == .bool(false))
        #expect(instance.configuration[.msgCall] == .string("x"))
    }

    // MARK: Aliases

    @Test func twoSpellingsWithOneValueAreFine() throws {
        let instance = try only(
            """
            {"instances": [{"instanceName": "a1", "webhook": {"url": "https://h.example.com", "byEvents": true,
              "events": ["CALL", "MESSAGES_UPSERT"]}, "webhookByEvents": true, "webhook_by_events": true,
              "events": ["MESSAGES_UPSERT", "CALL"], "reject_call": false, "rejectCall": false,
              "chatwoot_account_id": 2, "chatwootAccountId": "2", "chatwoot_token": "t", "chatwootToken": "t",
              "chatwoot_url": "https://c.example.com", "chatwootUrl": "https://c.example.com"}]}
            """)
        #expect(instance.configuration[.webhookByEvents] == .bool(true))
        #expect(instance.configuration[.rejectCall] == .bool(false))
        #expect(instance.configuration[.chatwootAccountID] == .integer(2))
    }

    @Test func twoSpellingsOfASecretWithDifferentValuesAreAnErrorThatShowsNeither() {
        let text = TestSupport.diagnosticsText(
            #"{"instances": [{"instanceName": "a1", "token": "${A}", "chatwoot_token": "${A}", "chatwootToken": "${B}", "chatwoot_account_id": 1, "chatwoot_url": "https://c.example.com"}]}"#,
            environment: ["A": "first-secret", "B": "second-secret"])
        #expect(
            text.contains(
                "instances[0].chatwootToken: \"chatwootToken\" and \"chatwoot_token\" (line 1) are two spellings of one setting with different values; keep one of them"
            ))
        #expect(!text.contains("first-secret"))
        #expect(!text.contains("second-secret"))
    }

    // MARK: Lifecycle

    @Test func lifecycleResolvesGroupsAndFieldPaths() throws {
        let instance = try only(
            """
            {"instances": [{"instanceName": "a1", "lifecycle": {"preventDestroy": true,
              "ignoreChanges": ["webhook", "settings.msgCall", "token"]}}]}
            """)
        #expect(instance.lifecycle.preventDestroy)
        #expect(
            instance.lifecycle.ignoreChanges
                == Set(FieldGroup.webhook.fields + [.msgCall] + FieldGroup.replaceForcing.fields))
        #expect(instance.configuration.values.isEmpty)
    }

    @Test func lifecycleInDefaultsMergesPerSetting() throws {
        let all = try instances(
            """
            {"defaults": {"lifecycle": {"preventDestroy": true, "ignoreChanges": ["chatwoot"]}},
             "instances": [{"instanceName": "a1"}, {"instanceName": "a2", "lifecycle": {"prevent_destroy": false}}]}
            """)
        #expect(all[0].lifecycle == Lifecycle(preventDestroy: true, ignoreChanges: Set(FieldGroup.chatwoot.fields)))
        #expect(all[1].lifecycle == Lifecycle(preventDestroy: false, ignoreChanges: Set(FieldGroup.chatwoot.fields)))
    }

    // MARK: The manifest as a whole

    @Test func keepsManifestOrderLocationsAndContents() throws {
        let text = "{\n  \"instances\": [\n    {\"instanceName\": \"zeta\"},\n    {\"instanceName\": \"alpha\"}\n  ]\n}\n"
        let manifest = try TestSupport.load(text).manifest
        #expect(manifest.instances.map(\.name) == ["zeta", "alpha"])
        #expect(manifest.locations["zeta"] == SourceLocation(file: "test.json", line: 3, column: 22))
        #expect(manifest.locations["alpha"] == SourceLocation(file: "test.json", line: 4, column: 22))
        #expect(manifest.contents == Data(text.utf8))
        #expect(manifest.path == "test.json")
    }

    @Test func anEmptyInstanceListIsValid() throws {
        #expect(try instances(#"{"instances": []}"#).isEmpty)
    }

    @Test func readsTheServerBlock() throws {
        let server = try TestSupport.load(
            #"{"server": {"url": "${URL}", "apiKey": "${KEY}", "apiVersion": "v2", "insecure": true}, "instances": []}"#,
            environment: ["URL": "http://127.0.0.1:8080", "KEY": "global"]
        ).manifest.server
        #expect(server.url == "http://127.0.0.1:8080")
        #expect(server.apiKey == Secret("global"))
        #expect(server.apiVersion == .v2)
        #expect(server.insecure)
        #expect(server.caFile == nil)
        #expect(server.unresolved.isEmpty)
        let verified = try TestSupport.load(
            #"{"server": {"url": "https://127.0.0.1:8443", "caFile": "${CERTS}/ca.pem"}, "instances": []}"#,
            environment: ["CERTS": "/etc/evoform"]
        ).manifest.server
        #expect(verified.caFile == "/etc/evoform/ca.pem")
        #expect(!verified.insecure)
    }

    @Test func anUnsetServerVariableIsRecordedNotFatal() throws {
        let loaded = try TestSupport.load(
            #"{"server": {"url": "${EVOLUTION_API_URL}", "apiKey": "${EVOLUTION_API_KEY}"}, "instances": []}"#)
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.manifest.server.url == nil)
        #expect(loaded.manifest.server.apiKey == nil)
        #expect(
            loaded.manifest.server.unresolved["url"]?.description
                == "test.json:1:20: server.url: environment variable EVOLUTION_API_URL is not set; export it, or pass --server URL"
        )
        #expect(
            loaded.manifest.server.unresolved["apiKey"]?.description
                == "test.json:1:54: server.apiKey: environment variable EVOLUTION_API_KEY is not set; export it, or pass --api-key KEY"
        )
        let validate = try TestSupport.load(
            #"{"server": {"url": "${EVOLUTION_API_URL}"}, "instances": []}"#, requireVariables: false)
        #expect(validate.warnings.count == 1)
        #expect(validate.manifest.server.unresolved["url"] != nil)
    }

    @Test func withoutRequiredVariablesUnsetOnesAreWarningsAndLeftOut() throws {
        let loaded = try TestSupport.load(
            """
            {"instances": [
              {"instanceName": "${NAME}", "token": "${TOKEN}", "webhook": "${HOOK}", "events": ["${EVENT}"]},
              {"instanceName": "sales02", "chatwoot_account_id": "${ACCOUNT}", "chatwoot_token": "${CW}",
               "chatwoot_url": "https://c.example.com"}
            ]}
            """, requireVariables: false)
        #expect(loaded.manifest.instances.map(\.name) == ["${NAME}", "sales02"])
        #expect(loaded.warnings.count == 6)
        #expect(loaded.warnings.allSatisfy { $0.severity == .warning && $0.message.contains("is not set") })
        let first = loaded.manifest.instances[0]
        #expect(first.secrets.isEmpty)
        #expect(first.configuration[.webhookURL] == nil)
        #expect(first.configuration[.webhookEnabled] == .bool(true))
        #expect(loaded.manifest.instances[1].configuration[.chatwootEnabled] == .bool(true))
    }

    @Test func theSameManifestFailsWhenVariablesAreRequired() {
        #expect(throws: ManifestError.self) {
            try TestSupport.load(#"{"instances": [{"instanceName": "a1", "token": "${TOKEN}"}]}"#)
        }
    }

    // MARK: Events learned later

    @Test func eventDiagnosticsCheckAgainstTheVersionLearnedLater() throws {
        let manifest = try TestSupport.load(
            """
            {"defaults": {"events": ["NEW_JWT_TOKEN"]},
             "instances": [
               {"instanceName": "a1", "webhook": "https://h.example.com"},
               {"instanceName": "a2", "webhook": "https://h.example.com"},
               {"instanceName": "a3", "webhook": "https://h.example.com", "events": ["MESSAGES_EDITED", "CALL"]}
             ]}
            """
        ).manifest
        #expect(manifest.eventReferences.count == 4)
        let v2 = manifest.eventDiagnostics(for: .v2)
        #expect(
            v2.map(\.description) == [
                "test.json:1:26: defaults.events[0]: event \"NEW_JWT_TOKEN\" is not known by the server, which speaks Evolution API v2; remove it from the list"
            ])
        let v1 = manifest.eventDiagnostics(for: .v1)
        #expect(
            v1.map(\.description) == [
                "test.json:5:74: instances[2].events[0]: event \"MESSAGES_EDITED\" is not known by the server, which speaks Evolution API v1; did you mean \"MESSAGES_UPDATE\"?"
            ])
        #expect(v1.allSatisfy { $0.severity == .error })
    }

    // MARK: Errors and secrets

    @Test func anInvalidInterpolatedTokenIsReportedWithoutItsValue() {
        let secret = "not valid!! s3cr3t"
        let text = TestSupport.diagnosticsText(
            #"{"instances": [{"instanceName": "a1", "token": "${TOKEN}"}]}"#, environment: ["TOKEN": secret])
        #expect(
            text
                == "test.json:1:48: instances[0].token: the token may contain only letters, digits and hyphens (the value read from the environment is not shown); use a value such as a UUID"
        )
        #expect(!text.contains("s3cr3t"))
    }

    @Test func duplicateTokensAreFoundWithoutShowingThem() {
        let text = TestSupport.diagnosticsText(
            #"{"instances": [{"instanceName": "a1", "token": "${A}"}, {"instanceName": "a2", "token": "${B}"}]}"#,
            environment: ["A": "same-token-value", "B": "same-token-value"])
        #expect(text.contains("instances[1].token: this token is already used by instances[0] (line 1)"))
        #expect(!text.contains("same-token-value"))
    }

    @Test func literalSecretsAreWarnings() throws {
        let loaded = try TestSupport.load(
            """
            {"server": {"apiKey": "literal-key"},
             "instances": [{"instanceName": "a1", "token": "literal-token", "chatwoot_account_id": 1,
               "chatwoot_token": "literal-cw", "chatwoot_url": "https://c.example.com"}]}
            """)
        #expect(loaded.warnings.map(\.path) == ["server.apiKey", "instances[0].token", "instances[0].chatwoot_token"])
        for warning in loaded.warnings {
            #expect(warning.message.contains("use ${VAR}"))
            #expect(warning.message.contains("safe to commit"))
            #expect(!warning.description.contains("literal-"))
        }
    }

    @Test func theErrorCarriesEveryErrorTheWarningsAndTheInstanceCount() {
        do {
            _ = try TestSupport.load(
                #"{"instances": [{"instanceName": "A"}, {"instanceName": "b", "token": "t"}, {"instanceName": "C"}]}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.count == 2)
            #expect(error.warnings.count == 1)
            #expect(error.instanceCount == 3)
            #expect(error.diagnostics.count == 3)
            #expect(error.userMessage.hasPrefix("test.json is not a valid manifest (2 errors):\ntest.json:1:33: "))
            #expect(error.exitStatus == .failure)
        }
    }

    @Test func aSingleErrorIsItsOwnMessage() {
        do {
            _ = try TestSupport.load("")
            Issue.record("expected an error")
        } catch {
            #expect(error.userMessage.hasPrefix("test.json:1:1: the manifest is empty"))
        }
    }

    @Test func aMissingFileIsAnErrorNamingThePath() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evoform-missing-\(UUID()).json")
        do {
            _ = try ManifestLoader.load(fileAt: url, displayPath: "fleet.json", environment: [:], requireVariables: false)
            Issue.record("expected an error")
        } catch {
            #expect(error.userMessage.hasPrefix("fleet.json: no such file"))
            #expect(error.errors.first?.line == 0)
        }
    }

    @Test func aDirectoryIsNotAManifest() {
        do {
            _ = try ManifestLoader.load(
                fileAt: FileManager.default.temporaryDirectory, displayPath: "tmp", environment: [:],
                requireVariables: false)
            Issue.record("expected an error")
        } catch {
            #expect(error.userMessage == "tmp: is a directory, not a manifest file; name the file with -f FILE")
        }
    }

    @Test func diagnosticsRenderAsFileLineColumnPathMessage() {
        let diagnostic = Diagnostic(
            file: "f.json", line: 14, column: 9, path: "instances[3].events[1]", severity: .error,
            message: "unknown event \"MESSAGE_UPSERT\"; did you mean \"MESSAGES_UPSERT\"?")
        #expect(
            diagnostic.description
                == "f.json:14:9: instances[3].events[1]: unknown event \"MESSAGE_UPSERT\"; did you mean \"MESSAGES_UPSERT\"?")
        #expect(
            diagnostic.json.canonicalText
                == #"{"column":9,"file":"f.json","line":14,"message":"unknown event \"MESSAGE_UPSERT\"; did you mean \"MESSAGES_UPSERT\"?","path":"instances[3].events[1]","severity":"error"}"#
        )
    }
}
