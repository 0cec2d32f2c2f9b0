import EvoformCore
import Foundation
import Testing

@testable import EvoformManifest

/// No input crashes the loader: damaged copies of every valid manifest either load or fail with
/// diagnostics that point into the file. Large inputs stay linear.
@Suite struct RobustnessTests {
    /// Every valid manifest we have: the examples and the valid fixtures.
    static let corpus: [String] =
        TestPaths.manifests(in: TestPaths.examples).map { "examples/" + $0 }
        + TestPaths.manifests(in: TestPaths.fixtures.appendingPathComponent("valid")).map { "valid/" + $0 }

    static func bytes(of name: String) throws -> [UInt8] {
        let url =
            name.hasPrefix("examples/")
            ? TestPaths.packageRoot.appendingPathComponent(name) : TestPaths.fixtures.appendingPathComponent(name)
        return [UInt8](try Data(contentsOf: url))
    }

    /// Loads damaged bytes and checks the outcome is a manifest or well-formed diagnostics.
    static func expectGraceful(_ bytes: [UInt8], environment: [String: String], note: @autoclosure () -> String) {
        let lineCount = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        do {
            _ = try ManifestLoader.load(
                contents: Data(bytes), path: "damaged.json", environment: environment, requireVariables: true)
        } catch {
            #expect(!error.errors.isEmpty, "\(note())")
            for diagnostic in error.diagnostics {
                let inside =
                    diagnostic.file == "damaged.json" && diagnostic.line >= 1 && diagnostic.line <= lineCount
                    && diagnostic.column >= 1 && !diagnostic.message.isEmpty
                #expect(inside, "\(note()): \(diagnostic)")
            }
        }
    }

    /// A deterministic pseudo-random sequence (no dependence on the run).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: RobustnessTests.corpus)
    func everyTruncationIsHandled(_ name: String) throws {
        let bytes = try Self.bytes(of: name)
        let environment = TestSupport.environmentSatisfying(String(decoding: bytes, as: UTF8.self))
        // Every prefix of small files; a dense, even sample (about 800 cuts) of larger ones.
        let step = max(1, bytes.count / 800)
        for length in stride(from: 0, through: bytes.count, by: step) {
            Self.expectGraceful(Array(bytes[..<length]), environment: environment, note: "\(name) cut at \(length)")
        }
    }

    @Test(arguments: RobustnessTests.corpus)
    func byteFlipsAreHandled(_ name: String) throws {
        let bytes = try Self.bytes(of: name)
        let environment = TestSupport.environmentSatisfying(String(decoding: bytes, as: UTF8.self))
        let replacements: [UInt8] = Array("\"{}[],:\\/*$ x0-\n".utf8) + [0x00, 0x7F, 0xC3, 0xE2, 0xF0, 0xFF, 0x80]
        var generator = Generator(state: UInt64(bytes.count))
        for _ in 0..<500 {
            var damaged = bytes
            let flips = 1 + generator.next(3)
            for _ in 0..<flips {
                damaged[generator.next(damaged.count)] = replacements[generator.next(replacements.count)]
            }
            Self.expectGraceful(damaged, environment: environment, note: "\(name) flipped")
        }
        // Deleting and duplicating spans shifts structure rather than single characters.
        for _ in 0..<200 {
            var damaged = bytes
            let start = generator.next(damaged.count)
            let length = min(1 + generator.next(40), damaged.count - start)
            if generator.next(2) == 0 {
                damaged.removeSubrange(start..<(start + length))
            } else {
                damaged.insert(contentsOf: bytes[start..<(start + length)], at: generator.next(damaged.count))
            }
            Self.expectGraceful(damaged, environment: environment, note: "\(name) spliced")
        }
    }

    // MARK: Large inputs

    static let tenMegabytes = 10 * 1_048_576

    @Test func aTenMegabyteValueLoads() throws {
        let big = String(repeating: "Olá, não atendemos ligações. ", count: Self.tenMegabytes / 31)
        let text = #"{"instances": [{"instanceName": "sales01", "msg_call": ""# + big + #"", "qrcode": true}]}"#
        let manifest = try TestSupport.load(text).manifest
        #expect(manifest.instances[0].configuration[.msgCall] == .string(big))
        #expect(manifest.instances[0].configuration[.qrcode] == .bool(true))
    }

    @Test func aTenMegabyteNameIsReportedShortened() {
        let big = String(repeating: "A", count: Self.tenMegabytes)
        let text = TestSupport.diagnosticsText(#"{"instances": [{"instanceName": ""# + big + #""}]}"#)
        #expect(text.count < 400)
        #expect(
            text
                == "test.json:1:33: instances[0].instanceName: instanceName \"" + String(repeating: "A", count: 59)
                + "…\" has uppercase letters; names are lowercase letters and digits only: did you mean \""
                + String(repeating: "a", count: 59) + "…\"?")
    }

    @Test func aTenMegabyteEventNameIsReportedShortened() {
        let big = String(repeating: "X", count: Self.tenMegabytes)
        let text = TestSupport.diagnosticsText(
            #"{"instances": [{"instanceName": "a1", "webhook": "https://h.example.com", "events": [""# + big + #""]}]}"#)
        #expect(
            text
                == "test.json:1:86: instances[0].events[0]: unknown event \"" + String(repeating: "X", count: 59)
                + "…\"; event names are upper-case subscription names such as \"MESSAGES_UPSERT\" or \"CONNECTION_UPDATE\"")
    }

    @Test func aTenMegabyteUnclosedStringIsReportedAtItsStart() {
        let text = TestSupport.diagnosticsText(
            #"{"instances": [{"instanceName": "a1", "msg_call": ""# + String(repeating: "z", count: Self.tenMegabytes))
        #expect(text == "test.json:1:51: instances[0].msg_call: this string is not closed; add the closing \"")
    }

    @Test func tenMegabytesOfInterpolatedTextAreExpanded() throws {
        let big = String(repeating: "${PART}", count: Self.tenMegabytes / 7)
        let manifest = try TestSupport.load(
            #"{"instances": [{"instanceName": "a1", "msg_call": ""# + big + #""}]}"#, environment: ["PART": "ab"]
        ).manifest
        guard case .string(let value)? = manifest.instances[0].configuration[.msgCall] else {
            Issue.record("msg_call missing")
            return
        }
        #expect(value.utf8.count == 2 * (Self.tenMegabytes / 7))
    }

    @Test func aTenThousandInstanceManifestLoads() throws {
        var text = #"{"defaults": {"qrcode": false, "events": ["MESSAGES_UPSERT"]}, "instances": ["#
        for index in 0..<10_000 {
            if index > 0 { text += "," }
            text +=
                #"{"instanceName": "inst\#(index)", "token": "${TOKEN_\#(index)}", "webhook": "https://h.example.com/\#(index)"}"#
        }
        text += "]}"
        let loaded = try TestSupport.load(text, requireVariables: false)
        #expect(loaded.manifest.instances.count == 10_000)
        #expect(loaded.warnings.count == 10_000)
        #expect(loaded.manifest.instances[9_999].name == "inst9999")
    }
}
