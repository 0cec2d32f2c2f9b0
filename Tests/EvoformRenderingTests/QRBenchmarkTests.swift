import Foundation
import Testing
@testable import EvoformRendering

#if canImport(Glibc)
import Glibc
#endif

/// Timing figures, not assertions: run with
/// `QR_BENCHMARK=1 swift test --filter QRBenchmark` (debug) or add `-c release`.
/// Figures are CPU time of the test's thread, so other processes on the machine distort them less.
@Suite("QR benchmark", .enabled(if: ProcessInfo.processInfo.environment["QR_BENCHMARK"] != nil))
struct QRBenchmarkTests {
    @Test func encodingAndRenderingFigures() throws {
        let pairing = try QRFixtures.symbol("auto-pairing-M").parameters.text
        let threeHundred = String(String(repeating: "2@y8Xb0Jq0,3YWk=", count: 19).prefix(300))
        let cases: [(String, String, QRErrorCorrection)] = [
            ("pairing code, 217 bytes, M", pairing, .medium),
            ("300 bytes, M", threeHundred, .medium),
            ("300 bytes, H", threeHundred, .high),
            ("2953 bytes, L", String(repeating: "x", count: 2953), .low),
        ]
        for (label, text, level) in cases {
            var matrix = try QREncoder.encode(text, level: level)  // warm up the static tables
            let runs = 20
            let encoding = try Self.cpuMilliseconds {
                for _ in 0..<runs { matrix = try QREncoder.encode(text, level: level) }
            }
            var rendered = ""
            let rendering = Self.cpuMilliseconds {
                for _ in 0..<runs { rendered = QRTerminalRenderer().render(matrix) }
            }
            #expect(!rendered.isEmpty)
            print("QR benchmark: \(label) -> version \(matrix.version), mask \(matrix.mask): "
                + String(format: "encode %.2f ms, render %.2f ms (CPU, mean of %d)",
                         encoding / Double(runs), rendering / Double(runs), runs))
        }
    }

    static func cpuMilliseconds(_ body: () throws -> Void) rethrows -> Double {
        func now() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1_000_000
        }
        let start = now()
        try body()
        return now() - start
    }
}
