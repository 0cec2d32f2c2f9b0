import Foundation
import Testing

/// A child process whose output the test reads line by line while it runs. Nothing here depends
/// on timing: waits poll generously (a minute by default) for something the child prints.
final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let lock = NSLock()
    private var outputBytes: [UInt8] = []
    private var errorBytes: [UInt8] = []
    private let readersDone = DispatchGroup()

    init(executable: URL, arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        read(output.fileHandleForReading) { self.outputBytes += $0 }
        read(errors.fileHandleForReading) { self.errorBytes += $0 }
    }

    deinit { killHard() }

    var pid: Int32 { process.processIdentifier }

    private func read(_ handle: FileHandle, append: @escaping @Sendable ([UInt8]) -> Void) {
        readersDone.enter()
        let descriptor = handle.fileDescriptor
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                let chunk = Array(buffer.prefix(count))
                lock.withLock { append(chunk) }
            }
            readersDone.leave()
        }
    }

    /// Complete lines printed so far on standard output.
    var lines: [String] {
        let text = lock.withLock { String(decoding: outputBytes, as: UTF8.self) }
        var parts = text.components(separatedBy: "\n")
        parts.removeLast()  // an unfinished line (or "" after the last newline)
        return parts
    }

    var standardError: String { lock.withLock { String(decoding: errorBytes, as: UTF8.self) } }

    /// Waits until a complete output line satisfies `condition`; returns it, or nil after `timeout` seconds.
    @discardableResult
    func waitForLine(timeout: Double = 60, where condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let running = process.isRunning
            if let line = lines.first(where: condition) { return line }
            if !running {
                _ = readersDone.wait(timeout: .now() + timeout)
                return lines.first(where: condition)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Waits for the child to exit; its status, or nil if it is still running after `timeout`.
    func waitForExit(timeout: Double = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else { return nil }
        _ = readersDone.wait(timeout: .now() + timeout)
        return process.terminationStatus
    }

    /// `kill -9`, and wait for the child to be gone.
    func killHard() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The test-support executable built beside the test bundle.
    static func probe() throws -> URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("evoform-state-probe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw ProbeNotFound(searchedFrom: executable.path)
    }

    struct ProbeNotFound: Error, CustomStringConvertible {
        var searchedFrom: String
        var description: String { "evoform-state-probe not found near \(searchedFrom); run `swift build` first" }
    }
}
