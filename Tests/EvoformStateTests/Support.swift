import EvoformCore
@testable import EvoformState
import Foundation
import Testing

/// A fresh folder under the system's temporary directory, removed when the value goes away.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("evoform-state-tests-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// `state/evoform.db` inside the folder (the folder `state` does not exist yet).
    var statePath: URL { url.appendingPathComponent("state/evoform.db") }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double

    init(_ seconds: Double = 1_700_000_000) { self.seconds = seconds }

    var now: @Sendable () -> Date { { [self] in self.lock.withLock { Date(timeIntervalSince1970: self.seconds) } } }

    func advance(by delta: Double) { lock.withLock { seconds += delta } }

    var current: Double { lock.withLock { seconds } }
}

/// A value several threads can set and read.
final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// The bytes of a file, or nil if it does not exist.
func contents(of url: URL) -> [UInt8]? {
    (try? Data(contentsOf: url)).map { [UInt8]($0) }
}

/// The permission bits of a file or folder.
func mode(of url: URL) -> Int? {
    var info = stat()
    guard stat(url.path, &info) == 0 else { return nil }
    return Int(info.st_mode & 0o777)
}

/// Whether `needle` occurs anywhere in `haystack`.
func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    let last = haystack.count - needle.count
    while index <= last {
        if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
        index += 1
    }
    return false
}

/// A typical managed instance; its token fingerprint comes from `fingerprinter`.
func sampleInstance(
    _ name: String, fingerprinter: SecretFingerprinter, token: String = "token-of-sample", serverID: String? = "srv-1"
) -> ManagedInstance {
    var configuration = InstanceConfiguration()
    configuration[.qrcode] = .bool(true)
    configuration[.token] = .secret(fingerprinter.fingerprint(Secret(token)))
    configuration[.webhookURL] = .string("https://hooks.example.com/\(name)")
    configuration[.webhookEnabled] = .bool(true)
    configuration[.webhookByEvents] = .bool(false)
    configuration[.webhookEvents] = .events(.only(["MESSAGES_UPSERT", "CONNECTION_UPDATE"]))
    configuration[.chatwootAccountID] = .integer(7)
    configuration[.msgCall] = .string("Sorry, no calls \"here\"\n")
    return ManagedInstance(
        name: InstanceName(name), serverURL: "http://127.0.0.1:8080", apiVersion: .v2, serverID: serverID,
        configuration: configuration)
}

/// Runs a throwing call and returns its `StateError`, or records an issue if it did not throw one.
func stateError<Result>(
    _ body: () throws(StateError) -> Result, sourceLocation: SourceLocation = #_sourceLocation
) -> StateError? {
    do {
        _ = try body()
        Issue.record("expected a StateError, got success", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
