import EvoformCore
import EvoformState
import Foundation
import Testing

/// The real `evoform` binary against a state this test process holds: exit 3 with the holder's
/// details, and `--lock-timeout` waiting until the holder lets go. Waits poll generously for what
/// the binary prints; nothing depends on timing.
@Suite("evoform binary and the state lock", .serialized)
struct StateLockEndToEndTests {
    let scratch = ScratchFolder()
    var folder: URL { scratch.url }
    var statePath: URL { folder.appendingPathComponent("state/evoform.db") }

    static func binary() throws -> URL {
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("evoform")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    /// Starts `evoform ARGUMENTS` in the test folder, collecting its output.
    func start(_ arguments: [String]) throws -> (Process, Output) {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["EVOFORM_STATE"] = nil
        process.environment = environment
        let output = Output()
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()
        output.collect(standardOutput.fileHandleForReading, into: \.standardOutput)
        output.collect(standardError.fileHandleForReading, into: \.standardError)
        return (process, output)
    }

    func waitForExit(_ process: Process, output: Output) -> Int32? {
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        output.waitUntilClosed()
        return process.terminationStatus
    }

    @Test("a second run exits 3 and names the holder")
    func exitThree() throws {
        let since = Date(timeIntervalSince1970: 1_700_000_000)
        let holder = try StateStore.open(at: statePath, operation: "apply", now: { since })
        defer { holder.close() }
        let (process, output) = try start(["state", "rm", "sales01"])
        #expect(waitForExit(process, output: output) == 3)
        let message = output.text(\.standardError)
        #expect(message.contains("pid \(getpid()) on host \(ProcessIdentity.hostName)"))
        #expect(message.contains("(user \(ProcessIdentity.userName)), running \"apply\" since 2023-11-14T22:13:20Z"))
    }

    @Test("state list and show read what the holder has committed, without waiting, and say so")
    func readersDoNotWait() throws {
        let holder = try StateStore.open(at: statePath, operation: "apply")
        defer { holder.close() }
        var configuration = InstanceConfiguration()
        configuration[.qrcode] = .bool(true)
        try holder.record(ManagedInstance(name: "sales01", serverURL: "http://127.0.0.1:1", apiVersion: .v1, configuration: configuration))
        let (list, listOutput) = try start(["state", "list"])
        #expect(waitForExit(list, output: listOutput) == 0)
        #expect(listOutput.text(\.standardOutput) == "sales01\n")
        #expect(listOutput.text(\.standardError).contains("Note: the state is held by pid \(getpid())"))
        let (show, showOutput) = try start(["state", "show", "sales01", "--json"])
        #expect(waitForExit(show, output: showOutput) == 0)
        #expect(showOutput.text(\.standardOutput).contains("\"sales01\""))
        // The holder still holds it, and writes on.
        try holder.record(ManagedInstance(name: "sales02", serverURL: "http://127.0.0.1:1", apiVersion: .v1, configuration: configuration))
        let (again, againOutput) = try start(["state", "list"])
        #expect(waitForExit(again, output: againOutput) == 0)
        #expect(againOutput.text(\.standardOutput) == "sales01\nsales02\n")
    }

    @Test("with --lock-timeout a second run waits, then proceeds once the holder is done")
    func waitsThenProceeds() throws {
        let holder = try StateStore.open(at: statePath, operation: "apply")
        var configuration = InstanceConfiguration()
        configuration[.qrcode] = .bool(true)
        try holder.record(ManagedInstance(name: "sales01", serverURL: "http://127.0.0.1:1", apiVersion: .v1, configuration: configuration))
        let (process, output) = try start(["state", "list", "--lock-timeout", "2m"])
        let deadline = Date().addingTimeInterval(120)
        while !output.text(\.standardError).contains("Waiting up to 2m for the state lock held by pid \(getpid())"),
            process.isRunning, Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(output.text(\.standardError).contains("Waiting up to 2m"))
        holder.close()
        #expect(waitForExit(process, output: output) == 0)
        #expect(output.text(\.standardOutput) == "sales01\n")
    }
}

/// A temporary folder removed when the test is done.
final class ScratchFolder: @unchecked Sendable {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("evoform-e2e-state-\(UUID().uuidString.prefix(8))")
    init() { try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Output collected from a child's pipes on background threads.
final class Output: @unchecked Sendable {
    struct Texts {
        var standardOutput: [UInt8] = []
        var standardError: [UInt8] = []
    }

    private let lock = NSLock()
    private var texts = Texts()
    private let group = DispatchGroup()

    func collect(_ handle: FileHandle, into path: WritableKeyPath<Texts, [UInt8]> & Sendable) {
        group.enter()
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                guard !data.isEmpty else { break }
                lock.withLock { texts[keyPath: path] += data }
            }
            group.leave()
        }
    }

    func text(_ path: KeyPath<Texts, [UInt8]>) -> String {
        lock.withLock { String(decoding: texts[keyPath: path], as: UTF8.self) }
    }

    func waitUntilClosed() { _ = group.wait(timeout: .now() + 60) }
}
