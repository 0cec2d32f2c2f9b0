import Foundation
@testable import EvoformRendering

/// Reads the reference fixtures recorded from segno by `Tests/Fixtures/qr/generate.py`.
enum QRFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/qr", isDirectory: true)

    /// One recorded symbol: its parameters and its rows of "0"/"1".
    struct Symbol: Sendable {
        struct Parameters: Decodable, Sendable {
            let text: String
            let level: String
            let version: Int
            let mask: Int
            let forced: Bool
        }

        let parameters: Parameters
        let rows: [String]
    }

    /// One input of the automatic mask sweep.
    struct AutomaticMask: Decodable, Sendable {
        let text: String
        let level: String
        let version: Int
        /// The mask segno chose.
        let mask: Int
        /// The mask segno chooses once its N3 rule counts overlapping finder-like patterns too.
        let maskCountingEveryPattern: Int
    }

    /// Final codewords and per-mask penalty scores [N1, N2, N3, N4] of one input.
    struct Penalties: Decodable, Sendable {
        let text: String
        let level: String
        let version: Int
        let codewords: String
        let scores: [[Int]]
    }

    /// segno's version tables.
    struct Tables: Decodable, Sendable {
        struct Version: Decodable, Sendable {
            let version: Int
            /// Groups of [block count, codewords per block, data codewords per block].
            let blocks: [[Int]]
            let byteCapacity: Int
        }

        let levels: [String: [Version]]
        let alignmentPositions: [[Int]]
        let formatInformation: [String: [Int]]
        let versionInformation: [String: Int]
    }

    static func symbol(_ name: String) throws -> Symbol {
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".txt"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let parameters = try JSONDecoder().decode(Symbol.Parameters.self, from: Data(lines.removeFirst().utf8))
        return Symbol(parameters: parameters, rows: lines)
    }

    static func json<Value: Decodable>(_ name: String, as type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func symbolNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".txt") }
            .map { String($0.dropLast(4)) }
            .sorted()
    }
}

extension String {
    /// The error correction level a fixture names ("L", "M", "Q" or "H").
    var errorCorrection: QRErrorCorrection {
        guard let level = QRErrorCorrection(rawValue: self) else { preconditionFailure("no level \(self)") }
        return level
    }
}

extension QRMatrix {
    /// Rows of "0"/"1" as in the fixtures.
    var rows: [String] {
        (0..<size).map { y in String((0..<size).map { x in self[x, y] ? "1" : "0" }) }
    }

    /// A short description of where two row sets differ, for failure messages.
    static func differences(_ actual: [String], _ expected: [String]) -> String? {
        guard actual.count == expected.count else { return "\(actual.count) rows, expected \(expected.count)" }
        var positions: [String] = []
        for (y, (actualRow, expectedRow)) in zip(actual, expected).enumerated() {
            for (x, (a, e)) in zip(actualRow, expectedRow).enumerated() where a != e {
                positions.append("(\(x),\(y))")
            }
        }
        guard !positions.isEmpty else { return nil }
        return "\(positions.count) modules differ, first at " + positions.prefix(8).joined(separator: " ")
    }
}
