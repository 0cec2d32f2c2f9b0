import EvoformManifest
import EvolutionSimulator
import Foundation
import Testing

/// The golden rule, end to end: after apply, a fresh plan shows no changes and a second apply
/// makes no mutating request. Every scenario runs against both server generations.
@Suite(.serialized) struct ConvergenceTests {
    static let versions: [SimulatedAPIVersion] = [.v1, .v2]

    /// A value for every `${VAR}` without a default that a manifest reads (its secrets).
    static func environment(for manifest: URL) throws -> [String: String] {
        let text = try String(contentsOf: manifest, encoding: .utf8)
        var environment: [String: String] = [:]
        for name in ManifestLoader.variablesWithoutDefault(in: text) where !name.hasPrefix("EVOLUTION_API") {
            environment[name] = "e2e-" + name.lowercased().replacingOccurrences(of: "_", with: "-")
        }
        return environment
    }

    func assertConverged(_ harness: Harness, _ arguments: [String] = [], environment: [String: String] = [:]) async throws {
        let plan = try harness.run(["plan", "--detailed-exitcode"] + arguments, environment: environment)
        #expect(plan.status == 0, "fresh plan not empty:\n\(plan.output)\(plan.error)")
        #expect(plan.output.contains("No changes."))
        await harness.simulator.resetLog()
        let again = try harness.run(["apply", "--auto-approve"] + arguments, environment: environment)
        #expect(again.status == 0, "\(again.error)")
        #expect(await harness.mutatingRequests().isEmpty)
    }

    @Test(arguments: versions, ["basic.json", "webhook.jsonc", "chatwoot.json", "fleet.jsonc"])
    func everyExampleConverges(version: SimulatedAPIVersion, example: String) async throws {
        let harness = try await Harness.start(version)
        let url = Harness.repository.appendingPathComponent("examples/\(example)")
        let file = url.path
        let environment = try Self.environment(for: url)
        let apply = try harness.run(["apply", "--auto-approve", "-f", file], environment: environment)
        #expect(apply.status == 0, "\(apply.output)\(apply.error)")
        #expect(apply.output.contains("Apply complete:"))
        try await assertConverged(harness, ["-f", file], environment: environment)
        await harness.stop()
    }

    @Test(arguments: versions)
    func addingChangingAndRemovingOneInstanceTouchesOnlyIt(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version)
        try harness.write(manifest: Harness.fleet(100))
        #expect(try harness.run(["apply", "--auto-approve"]).status == 0)

        // Add one.
        await harness.simulator.resetLog()
        try harness.write(manifest: Harness.fleet(101))
        #expect(try harness.run(["apply", "--auto-approve"]).status == 0)
        #expect(Set(await harness.mutatingRequests().compactMap(\.instance)) == ["inst100"])

        // Change one webhook.
        await harness.simulator.resetLog()
        try harness.write(
            manifest: Harness.fleet(101).replacingOccurrences(of: "hooks.example.com/inst/7\"", with: "hooks.example.com/inst/7b\""))
        let change = try harness.run(["apply", "--auto-approve"])
        #expect(change.status == 0, "\(change.error)")
        let changed = await harness.mutatingRequests()
        #expect(changed.map(\.path) == ["/webhook/set/inst7"])

        // Remove one.
        await harness.simulator.resetLog()
        try harness.write(
            manifest: Harness.fleet(101).replacingOccurrences(of: "hooks.example.com/inst/7\"", with: "hooks.example.com/inst/7b\"")
                .replacingOccurrences(of: "\"inst42\"", with: "\"gone\"").replacingOccurrences(of: "tok-inst-42", with: "tok-gone"))
        let remove = try harness.run(["apply", "--auto-approve"])
        #expect(remove.status == 0, "\(remove.error)")
        #expect(Set(await harness.mutatingRequests().compactMap(\.instance)) == ["inst42", "gone"])
        try await assertConverged(harness)
        await harness.stop()
    }

    /// Chatwoot added to an existing instance gets its inbox provisioned, as a create with
    /// Chatwoot does; changing it afterwards does not provision again (each bootstrap posts a bot
    /// conversation).
    @Test(arguments: versions)
    func chatwootEnabledLaterIsProvisionedOnceLikeAtCreate(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version)
        let chatwoot = #", "chatwoot_account_id": 3, "chatwoot_token": "${CW_TOKEN}", "chatwoot_url": "https://chatwoot.example.com", "chatwoot_sign_msg": "#
        let environment = ["CW_TOKEN": "e2e-cw-token"]
        // inst0 gets Chatwoot at create, inst1 later.
        try harness.write(manifest: Harness.fleet(2) { $0 == 0 ? chatwoot + "true" : "" })
        #expect(try harness.run(["apply", "--auto-approve"], environment: environment).status == 0)
        #expect(await harness.simulator.chatwootBootstraps(of: "inst0") == 1)
        #expect(await harness.simulator.chatwootBootstraps(of: "inst1") == 0)

        try harness.write(manifest: Harness.fleet(2) { _ in chatwoot + "true" })
        let enable = try harness.run(["apply", "--auto-approve"], environment: environment)
        #expect(enable.status == 0, "\(enable.error)")
        #expect(await harness.simulator.chatwootBootstraps(of: "inst1") == 1)

        try harness.write(manifest: Harness.fleet(2) { _ in chatwoot + "false" })
        let change = try harness.run(["apply", "--auto-approve"], environment: environment)
        #expect(change.status == 0, "\(change.error)")
        #expect(await harness.simulator.chatwootBootstraps(of: "inst0") == 1)
        #expect(await harness.simulator.chatwootBootstraps(of: "inst1") == 1)
        try await assertConverged(harness, environment: environment)
        await harness.stop()
    }

    @Test(arguments: versions)
    func savedPlanIsAppliedAndAStaleOneRefused(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version)
        try harness.write(manifest: Harness.fleet(3))
        let plan = try harness.run(["plan", "-out=plan.json"])
        #expect(plan.status == 0, "\(plan.error)")
        let saved = try String(contentsOf: harness.directory.appendingPathComponent("plan.json"), encoding: .utf8)
        #expect(!saved.contains("tok-inst-"))
        let apply = try harness.run(["apply", "plan.json"])
        #expect(apply.status == 0, "\(apply.error)")
        #expect(apply.output.contains("Apply complete: 3 created"))

        // The state moved on: the same file is now stale, and nothing is called.
        await harness.simulator.resetLog()
        let stale = try harness.run(["apply", "plan.json"])
        #expect(stale.status == 4)
        #expect(stale.error.contains("stale"))
        #expect(await harness.simulator.requestLog().filter(\.isMutating).isEmpty)

        // A plan made, then the manifest edited: stale too.
        try harness.write(manifest: Harness.fleet(4))
        #expect(try harness.run(["plan", "--out", "plan2.json"]).status == 0)
        try harness.write(manifest: Harness.fleet(5))
        let edited = try harness.run(["apply", "plan2.json"])
        #expect(edited.status == 4)
        #expect(edited.error.contains("manifest"))

        // A changed secret: stale.
        try harness.write(manifest: Harness.fleet(4).replacingOccurrences(of: "\"tok-inst-3\"", with: "\"${T3}\""))
        #expect(try harness.run(["plan", "--out", "plan3.json"], environment: ["T3": "tok-inst-3"]).status == 0)
        let secret = try harness.run(["apply", "plan3.json"], environment: ["T3": "other-token"])
        #expect(secret.status == 4)
        #expect(secret.error.contains("secret"))
        #expect(await harness.mutatingRequests().isEmpty)
        await harness.stop()
    }

    @Test(arguments: versions)
    func driftIsReportedAndRepaired(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version)
        try harness.write(manifest: Harness.fleet(3))
        #expect(try harness.run(["apply", "--auto-approve"]).status == 0)
        try await harness.simulator.deleteOutOfBand(instanceName: "inst1")
        let plan = try harness.run(["plan", "--detailed-exitcode"])
        #expect(plan.status == 2)
        #expect(plan.output.contains("inst1 was deleted outside evoform"))
        #expect(plan.output.contains("Plan: 1 to create, 0 to update, 0 to replace, 0 to delete."))
        #expect(try harness.run(["apply", "--auto-approve"]).status == 0)
        try await assertConverged(harness)
        await harness.stop()
    }

    @Test(arguments: ["v1", "v2"])
    func demoConvergesTheExampleFleet(version: String) throws {
        let process = Process()
        process.executableURL = Harness.binary
        process.arguments = ["demo", "--api-version", version, "--latency-ms", "0"]
        process.currentDirectoryURL = Harness.repository
        process.environment = ["PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("Apply complete: 50 created"))
        #expect(text.hasSuffix("the final plan made none.\n"))
    }

    @Test(arguments: versions)
    func applyWithoutTerminalOrApprovalIsRefused(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version)
        try harness.write(manifest: Harness.fleet(1))
        let refused = try harness.run(["apply"])
        #expect(refused.status == 1)
        #expect(refused.error.contains("--auto-approve"))
        #expect(await harness.mutatingRequests().isEmpty)
        await harness.stop()
    }
}
