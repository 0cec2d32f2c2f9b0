import EvolutionSimulator
import Foundation
import Testing

/// Plans of the examples against golden files, secrets kept out of every output and log, and bad
/// inputs beyond the manifest (plan files, state files) refused clearly with nothing changed.
@Suite(.serialized) struct OutputAndInputSafetyTests {
    static let examples = ["basic.json", "webhook.jsonc", "chatwoot.json", "fleet.jsonc"]
    static let fixtures = Harness.repository.appendingPathComponent("Tests/Fixtures/plans/examples")

    /// Re-record with `EVOFORM_RECORD=1 swift test --filter OutputAndInputSafetyTests`.
    func checkGolden(_ actual: String, _ name: String) throws {
        let url = Self.fixtures.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["EVOFORM_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: Self.fixtures, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "plan output differs from \(name); re-record with EVOFORM_RECORD=1 and review the diff")
    }

    @Test(arguments: examples)
    func examplePlansMatchTheirGoldenFiles(example: String) async throws {
        let harness = try await Harness.start(.v2)
        let url = Harness.repository.appendingPathComponent("examples/\(example)")
        let environment = try ConvergenceTests.environment(for: url)
        let text = try harness.run(["plan", "--no-color", "-f", url.path], environment: environment)
        #expect(text.status == 0, "\(text.error)")
        try checkGolden(text.output, example + ".plan.txt")
        let json = try harness.run(["plan", "--json", "-f", url.path], environment: environment)
        #expect(json.status == 0, "\(json.error)")
        try checkGolden(json.output, example + ".plan.json")
        await harness.stop()
    }

    @Test(arguments: [SimulatedAPIVersion.v1, .v2])
    func noSecretInAnyOutputLogStateOrPlanFile(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version) { $0.apiKey = "global-key-SECRET-1" }
        let secrets = ["tok-SECRET-a", "tok-SECRET-b", "cw-SECRET-c", "global-key-SECRET-1"]
        try harness.write(
            manifest: """
                { "instances": [
                  { "instanceName": "a", "token": "${TA}", "qrcode": true, "webhook": "https://hooks.example.com/a", "events": [] },
                  { "instanceName": "b", "token": "${TB}", "chatwoot_account_id": 3, "chatwoot_token": "${CW}",
                    "chatwoot_url": "https://chatwoot.example.com", "chatwoot_sign_msg": false, "reject_call": true }
                ] }
                """)
        let log = harness.directory.appendingPathComponent("trace.log")
        let environment = [
            "TA": secrets[0], "TB": secrets[1], "CW": secrets[2], "EVOFORM_LOG": "debug", "EVOFORM_LOG_FILE": log.path,
        ]
        var outputs: [String] = []
        for arguments in [["plan", "--out", "plan.json"], ["apply", "plan.json"], ["plan", "--json"], ["apply", "--auto-approve", "--json"],
            ["state", "pull"], ["state", "show", "b"], ["show"], ["show", "plan.json"]]
        {
            let result = try harness.run(arguments, environment: environment)
            outputs.append(result.output + result.error)
        }
        // Change a secret so a replace is planned and shown.
        outputs.append(try harness.run(["plan"], environment: environment.merging(["TA": "tok-SECRET-new"]) { _, new in new }).output)
        let logText = try String(contentsOf: log, encoding: .utf8)
        #expect(logText.contains("POST /instance/create"))
        var haystacks = outputs + [logText]
        for file in try FileManager.default.subpathsOfDirectory(atPath: harness.directory.path) {
            let url = harness.directory.appendingPathComponent(file)
            guard !file.hasSuffix(".png"), let data = FileManager.default.contents(atPath: url.path) else { continue }
            haystacks.append(String(decoding: data, as: UTF8.self))
        }
        for secret in secrets + ["tok-SECRET-new"] {
            for (index, text) in haystacks.enumerated() {
                #expect(!text.contains(secret), "secret found in output/file #\(index)")
            }
        }
        await harness.stop()
    }

    @Test func truncatedForeignAndOtherStatePlanFilesAreRefused() async throws {
        let harness = try await Harness.start(.v2)
        try harness.write(manifest: Harness.fleet(2))
        #expect(try harness.run(["plan", "--out", "plan.json"]).status == 0)
        let plan = harness.directory.appendingPathComponent("plan.json")
        let bytes = try Data(contentsOf: plan)

        try bytes.prefix(bytes.count / 2).write(to: harness.directory.appendingPathComponent("truncated.json"))
        let truncated = try harness.run(["apply", "truncated.json"])
        #expect(truncated.status == 1)
        #expect(truncated.error.contains("not a complete evoform plan file"))

        try Data("{\"hello\": 1}".utf8).write(to: harness.directory.appendingPathComponent("foreign.json"))
        let foreign = try harness.run(["apply", "foreign.json"])
        #expect(foreign.status == 1)
        #expect(foreign.error.contains("is not an evoform plan file"))

        let otherState = harness.directory.appendingPathComponent("other/evoform.db").path
        let other = try harness.run(["apply", "plan.json"], environment: ["EVOFORM_STATE": otherState])
        #expect(other.status == 4)
        #expect(other.error.contains("another state file"))
        #expect(await harness.mutatingRequests().isEmpty)
        await harness.stop()
    }

    @Test func corruptOrNewerStateIsAClearErrorAndUntouched() async throws {
        let harness = try await Harness.start(.v2)
        try harness.write(manifest: Harness.fleet(1))
        let state = harness.directory.appendingPathComponent("state/evoform.db")
        try FileManager.default.createDirectory(at: state.deletingLastPathComponent(), withIntermediateDirectories: true)
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: state)
        let corrupt = try harness.run(["apply", "--auto-approve"])
        #expect(corrupt.status == 1)
        #expect(corrupt.error.contains(state.path))
        #expect(try Data(contentsOf: state) == garbage)
        #expect(await harness.mutatingRequests().isEmpty)

        try FileManager.default.removeItem(at: state)
        #expect(try harness.run(["apply", "--auto-approve"]).status == 0)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit()", state.path]
        try sqlite.run()
        sqlite.waitUntilExit()
        await harness.simulator.resetLog()
        let newer = try harness.run(["plan"])
        #expect(newer.status == 1)
        #expect(newer.error.contains("newer"))
        await harness.stop()
    }
}
