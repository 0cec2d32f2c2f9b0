import EvoformCore
import Foundation
import Testing

@testable import EvoformManifest

/// Every file under `examples/` must validate, with and without its environment.
@Suite struct ExamplesTests {
    static let names = TestPaths.manifests(in: TestPaths.examples)

    func load(_ name: String, environment: [String: String], requireVariables: Bool) throws -> LoadedManifest {
        try ManifestLoader.load(
            fileAt: TestPaths.examples.appendingPathComponent(name), displayPath: "examples/\(name)",
            environment: environment, requireVariables: requireVariables)
    }

    func text(_ name: String) throws -> String {
        try String(contentsOf: TestPaths.examples.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func theExpectedExamplesExist() {
        #expect(Set(Self.names).isSuperset(of: ["basic.json", "webhook.jsonc", "chatwoot.json", "fleet.jsonc"]))
    }

    @Test(arguments: ExamplesTests.names)
    func validatesWithoutAnyEnvironment(_ name: String) throws {
        let loaded = try load(name, environment: [:], requireVariables: false)
        #expect(!loaded.manifest.instances.isEmpty)
        // The only warnings are variables that are not set: the examples hold no literal secret.
        for warning in loaded.warnings {
            #expect(warning.message.contains("is not set"), "\(warning)")
        }
    }

    @Test(arguments: ExamplesTests.names)
    func loadsForPlanWithItsEnvironmentSet(_ name: String) throws {
        let environment = TestSupport.environmentSatisfying(try text(name))
        let loaded = try load(name, environment: environment, requireVariables: true)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(loaded.manifest.server.url == "http://127.0.0.1:8080")
        #expect(loaded.manifest.server.apiKey != nil)
        #expect(loaded.manifest.server.apiVersion == .auto)
        for instance in loaded.manifest.instances {
            #expect(ValueRules.instanceNameProblem(instance.name.rawValue) == nil)
            #expect(instance.secrets[.token] != nil, "\(instance.name) reads its token from the environment")
        }
    }

    @Test func planRefusesTheExamplesWithoutTheirSecrets() throws {
        for name in Self.names {
            #expect(throws: ManifestError.self) { try load(name, environment: [:], requireVariables: true) }
        }
    }

    @Test func theWebhookExampleSubscribesToTheUncommentedEvents() throws {
        let environment = TestSupport.environmentSatisfying(try text("webhook.jsonc"))
        let instance = try load("webhook.jsonc", environment: environment, requireVariables: true).manifest.instances[0]
        #expect(
            instance.configuration[.webhookEvents]
                == .events(
                    .only([
                        "QRCODE_UPDATED", "MESSAGES_UPSERT", "MESSAGES_UPDATE", "MESSAGES_DELETE", "SEND_MESSAGE",
                        "CONNECTION_UPDATE",
                    ])))
        #expect(instance.configuration[.webhookByEvents] == .bool(false))
        #expect(instance.configuration[.qrcode] == .bool(true))
    }

    @Test func theChatwootExampleConfiguresChatwoot() throws {
        let environment = TestSupport.environmentSatisfying(try text("chatwoot.json"))
        let instance = try load("chatwoot.json", environment: environment, requireVariables: true).manifest.instances[0]
        #expect(instance.configuration[.chatwootEnabled] == .bool(true))
        #expect(instance.configuration[.chatwootAccountID] == .integer(1))
        #expect(instance.configuration[.chatwootSignMsg] == .bool(true))
        #expect(instance.secrets[.chatwootToken] != nil)
    }

    @Test func theFleetMixesFiftyInstancesOfAllThreeKinds() throws {
        var environment = TestSupport.environmentSatisfying(try text("fleet.jsonc"))
        environment["HOOKS_BASE_URL"] = nil
        let manifest = try load("fleet.jsonc", environment: environment, requireVariables: true).manifest
        #expect(manifest.instances.count == 50)
        #expect(Set(manifest.instances.map(\.name)).count == 50)
        let webhook = manifest.instances.filter { $0.configuration[.webhookURL] != nil }
        let chatwoot = manifest.instances.filter { $0.configuration[.chatwootEnabled] == .bool(true) }
        let basic = manifest.instances.filter { !$0.configuration.manages(.webhook) && !$0.configuration.manages(.chatwoot) }
        #expect(webhook.count == 15)
        #expect(chatwoot.count == 15)
        #expect(basic.count == 20)
        // Defaults reached only the instances they fit.
        #expect(basic.allSatisfy { $0.configuration[.rejectCall] == .bool(true) && $0.secrets[.chatwootToken] == nil })
        #expect(webhook.allSatisfy { $0.configuration[.webhookEvents] != nil })
        #expect(chatwoot.allSatisfy { $0.configuration[.chatwootSignMsg] == .bool(true) })
        #expect(manifest.instances.filter { $0.lifecycle.preventDestroy }.count == 49)
        // A default with ${VAR:-...} was used for the non-secret webhook base.
        #expect(
            manifest.instances.first { $0.name == "support04" }?.configuration[.webhookURL]
                == .string("https://hooks.example.com/evolution/support04"))
    }
}
