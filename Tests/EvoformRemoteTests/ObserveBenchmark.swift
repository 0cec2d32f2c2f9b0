import EvoformCore
import EvoformRemote
import EvolutionSimulator
import Foundation
import Testing

/// Observing a 1,000-instance fleet from the simulator, both versions: prints request counts
/// (against the theoretical minimum) and wall time. Skipped unless `EVOFORM_BENCH=1`:
///
///     EVOFORM_BENCH=1 swift test -c release --filter ObserveBenchmark
///
/// Optional: `EVOFORM_BENCH_SIZE` (default 1000), `EVOFORM_BENCH_PARALLELISM` (default "10,32"),
/// `EVOFORM_BENCH_LATENCY_MS` (simulated server latency per request, default 0).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["EVOFORM_BENCH"] == "1", "set EVOFORM_BENCH=1"))
struct ObserveBenchmark {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var size: Int { Int(environment["EVOFORM_BENCH_SIZE"] ?? "") ?? 1000 }
    static var parallelisms: [Int] {
        (environment["EVOFORM_BENCH_PARALLELISM"] ?? "10,32").split(separator: ",").compactMap { Int($0) }
    }
    static var latency: Int { Int(environment["EVOFORM_BENCH_LATENCY_MS"] ?? "") ?? 0 }

    @Test(arguments: APIVersion.allCases)
    func observeAFleet(version: APIVersion) async throws {
        let size = Self.size
        try await SimulatorHarness.with(version, configure: { $0.latencyMilliseconds = Self.latency }) { harness in
            for index in 0..<size {
                try await harness.simulator.createOutOfBand(instanceName: "bench\(index)", token: "token-\(index)")
            }
            let wanted = Dictionary(
                uniqueKeysWithValues: (0..<size).map {
                    (InstanceName("bench\($0)"), Set<FieldGroup>([.webhook, .chatwoot, .settings, .replaceForcing]))
                })
            // Theoretical minimum: one list, plus the finds the list cannot answer.
            let minimum = version == .v1 ? 1 + 2 * size : 1 + size
            for parallelism in Self.parallelisms {
                let client = harness.client(version == .v1 ? .v1 : .v2)
                let clock = ContinuousClock()
                var observed: [InstanceName: ObservedInstance] = [:]
                let elapsed = try await clock.measure {
                    observed = try await client.observe(wanted, parallelism: parallelism)
                }
                #expect(observed.count == size)
                #expect(client.requestCount == minimum)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let line =
                    "BENCH observe \(version.rawValue): \(size) instances, parallelism \(parallelism), latency \(Self.latency) ms: "
                    + "\(client.requestCount) requests (minimum \(minimum)), "
                    + String(format: "%.3f s, %.0f requests/s", seconds, Double(client.requestCount) / seconds)
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
    }
}
