import Foundation
import Testing

/// Golden files live in Tests/Fixtures. Re-record them with `EVOFORM_RECORD=1 swift test`,
/// then review the diff before committing.
enum Golden {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func check(_ actual: String, against relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = fixtures.appendingPathComponent(relativePath)
        if ProcessInfo.processInfo.environment["EVOFORM_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "differs from \(relativePath); re-record with EVOFORM_RECORD=1", sourceLocation: sourceLocation)
    }
}
