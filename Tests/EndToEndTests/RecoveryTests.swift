import EvolutionSimulator
import Foundation
import Testing

/// Faults, interruptions and the lifecycle commands, end to end against both generations.
@Suite(.serialized) struct RecoveryTests {
    static let versions: [SimulatedAPIVersion] = [.v1, .v2]

    /// How many create requests the simulator accepted per instance name.
    func createsPerInstance(_ harness: Harness) async -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in await harness.simulator.requestLog()
        where request.method == "POST" && request.path == "/instance/create" && request.status == 201 {
            counts[request.instance ?? "?", default: 0] += 1
        }
        return counts
    }

    @Test(arguments: versions)
    func injectedFailuresAndLostResponsesConvergeWithoutDuplicates(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version) { configuration in
            configuration.failRate = 0.2
            configuration.loseResponseRate = 0.2
            configuration.seed = 7
        }
        try harness.write(manifest: Harness.fleet(30))
        var converged = false
        for _ in 0..<8 where !converged {
            let apply = try harness.run(["apply", "--auto-approve"])
            #expect([0, 1].contains(apply.status), "\(apply.error)")
            let plan = try harness.run(["plan", "--detailed-exitcode"])
            converged = plan.status == 0
        }
        #expect(converged)
        #expect(await createsPerInstance(harness).values.allSatisfy { $0 == 1 })
        await harness.simulator.setFaults(failRate: 0, loseResponseRate: 0, latencyMilliseconds: 0)
        let names = await harness.simulator.instanceNames()
        #expect(names.count == 30)
        await harness.stop()
    }

    @Test(arguments: versions)
    func rateLimitsAndOverloadAreRiddenOutInOneRunWithinParallelism(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version) { configuration in
            configuration.rateLimitPerSecond = 40
            // Not a multiple of the rate: with 40 and 40 every window's last admitted request
            // started a burst that also hit the first two of the next window, which are the
            // requests that waited out a 429 and return together. One such request could meet
            // 503 at every window start until its retries ran out (a flake under load).
            configuration.unavailableEvery = 37
            configuration.latencyMilliseconds = 20
            configuration.seed = 11
        }
        try harness.write(manifest: Harness.fleet(60))
        let apply = try harness.run(["apply", "--auto-approve", "--parallelism", "4"])
        #expect(apply.status == 0, "\(apply.output.split(separator: "\n").filter { $0.contains("failed") })\(apply.error.suffix(2000))")
        let statuses = await harness.simulator.requestLog().map(\.status)
        #expect(statuses.contains(429))
        #expect(statuses.contains(503))
        #expect(await harness.simulator.maxConcurrentRequests() <= 4)
        let plan = try harness.run(["plan", "--detailed-exitcode", "--parallelism", "4"])
        #expect(plan.status == 0, "\(plan.output)\(plan.error)")
        #expect(await createsPerInstance(harness).values.allSatisfy { $0 == 1 })
        await harness.stop()
    }

    @Test(arguments: versions)
    func killDashNineAtRandomMomentsLosesNothing(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version) { $0.latencyMilliseconds = 5 }
        try harness.write(manifest: Harness.fleet(40))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4 {
            let launched = try harness.launch(["apply", "--auto-approve", "--parallelism", "4"])
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...400, using: &generator)))
            kill(launched.process.processIdentifier, SIGKILL)
            launched.process.waitUntilExit()
        }
        let final = try harness.run(["apply", "--auto-approve"])
        #expect(final.status == 0, "\(final.error)")
        let plan = try harness.run(["plan", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(await createsPerInstance(harness).values.allSatisfy { $0 == 1 })
        #expect(await harness.simulator.instanceNames().count == 40)
        let state = try harness.run(["state", "list"])
        #expect(state.output.split(separator: "\n").count == 40)
        await harness.stop()
    }

    @Test(arguments: versions)
    func destroyHonoursPreventDestroyAndImportRoundTrips(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version)
        try harness.write(manifest: Harness.fleet(3) { $0 == 0 ? #", "lifecycle": {"preventDestroy": true}"# : "" })
        #expect(try harness.run(["apply", "--auto-approve"]).status == 0)

        let blocked = try harness.run(["destroy", "--auto-approve"])
        #expect(blocked.status == 1)
        #expect(blocked.error.contains("inst0"))
        #expect(blocked.error.contains("preventDestroy"))

        // Forget one, import it back: the plan is empty again.
        #expect(try harness.run(["state", "rm", "inst2"]).status == 0)
        let unmanaged = try harness.run(["plan"])
        #expect(unmanaged.status == 1)
        #expect(unmanaged.error.contains("evoform import inst2"))
        let imported = try harness.run(["import", "inst2"])
        #expect(imported.status == 0, "\(imported.error)")
        let plan = try harness.run(["plan", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.output)")

        let targeted = try harness.run(["destroy", "--auto-approve", "--target", "inst1"])
        #expect(targeted.status == 0, "\(targeted.error)")
        #expect(Set(await harness.simulator.instanceNames()) == ["inst0", "inst2"])
        await harness.stop()
    }

    @Test(arguments: versions)
    func secondRunWhileLockedExitsThree(version: SimulatedAPIVersion) async throws {
        let harness = try await Harness.start(version) { $0.latencyMilliseconds = 200 }
        try harness.write(manifest: Harness.fleet(20))
        let first = try harness.launch(["apply", "--auto-approve", "--parallelism", "1"])
        // Wait until the first run is surely applying (it holds the lock from before its first call).
        for _ in 0..<600 where await harness.mutatingRequests().isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        let second = try harness.run(["plan"])
        #expect(second.status == 3)
        #expect(second.error.contains("apply"))
        first.process.waitUntilExit()
        #expect(first.process.terminationStatus == 0)
        await harness.stop()
    }
}
