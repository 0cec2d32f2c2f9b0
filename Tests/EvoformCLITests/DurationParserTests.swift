@testable import EvoformCLI
import Testing

@Suite("DURATION arguments")
struct DurationParserTests {
    @Test(
        "accepted spellings",
        arguments: [
            ("0s", Duration.zero), ("0", .zero), ("500ms", .milliseconds(500)), ("30s", .seconds(30)),
            ("2m", .seconds(120)), ("1h", .seconds(3600)), ("45", .seconds(45)), ("1.5s", .milliseconds(1500)),
            ("1m30s", .seconds(90)), ("1h2m3s", .seconds(3723)), (" 10s ", .seconds(10)), ("0.25", .milliseconds(250)),
        ] as [(String, Duration)])
    func accepted(text: String, expected: Duration) {
        #expect(DurationParser.parse(text) == expected)
    }

    @Test("refused spellings", arguments: ["", "s", "-5s", "5x", "5 s", "1m30", "ten", "0x10", "1e3", "ms", "9999h", "nan", "5S"])
    func refused(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }

    @Test("a bad value is a usage error naming the option")
    func usageError() {
        #expect(throws: UsageError.self) { try DurationParser.parse("soon", option: "lock-timeout", command: "plan") }
        do {
            _ = try DurationParser.parse("soon", option: "lock-timeout", command: "plan")
        } catch {
            #expect(error.message.contains("--lock-timeout"))
            #expect(error.message.contains("\"soon\""))
            #expect(error.command == "plan")
        }
    }

    @Test("durations print as people write them")
    func describe() {
        #expect(DurationParser.describe(.zero) == "0s")
        #expect(DurationParser.describe(.milliseconds(500)) == "500ms")
        #expect(DurationParser.describe(.seconds(90)) == "1m30s")
        #expect(DurationParser.describe(.seconds(7200)) == "2h")
    }
}
