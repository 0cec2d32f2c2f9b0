import EvolutionSimulator
import Foundation
import Testing

/// Runs the real `evoform` binary, built next to this test bundle, against a simulator started in
/// this process on a free loopback port.
struct Harness {
    let simulator: EvolutionSimulator
    let directory: URL
    var environment: [String: String]

    static let binary: URL = {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("evoform")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/evoform")
        return fallback
    }()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func start(_ version: SimulatedAPIVersion, configure: (inout SimulatorConfiguration) -> Void = { _ in }) async throws
        -> Harness
    {
        var configuration = SimulatorConfiguration(apiVersion: version)
        configure(&configuration)
        let simulator = try await EvolutionSimulator.start(configuration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evoform-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return Harness(
            simulator: simulator, directory: directory,
            environment: [
                "EVOLUTION_API_URL": simulator.baseURL, "EVOLUTION_API_KEY": configuration.apiKey, "NO_COLOR": "1",
                "EVOFORM_STATE": directory.appendingPathComponent("state/evoform.db").path,
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            ])
    }

    func stop() async {
        await simulator.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs evoform to completion in the harness directory.
    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let process = try launch(arguments, environment: extra)
        process.process.waitUntilExit()
        let output = String(decoding: process.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: process.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Result(status: process.process.terminationStatus, output: output, error: error)
    }

    struct Launched {
        var process: Process
        var stdout: Pipe
        var stderr: Pipe
    }

    func launch(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Launched {
        let process = Process()
        process.executableURL = Harness.binary
        process.arguments = arguments
        process.environment = environment.merging(extra) { _, new in new }
        process.currentDirectoryURL = directory
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Launched(process: process, stdout: stdout, stderr: stderr)
    }

    /// Writes a manifest into the harness directory and returns its path.
    @discardableResult
    func write(manifest: String, named name: String = "evoform.json") throws -> String {
        let url = directory.appendingPathComponent(name)
        try manifest.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Mutating API requests the simulator answered since the last reset.
    func mutatingRequests() async -> [SimulatedRequest] {
        await simulator.requestLog().filter(\.isMutating)
    }

    /// A fleet manifest of `count` instances with webhooks and settings.
    static func fleet(_ count: Int, prefix: String = "inst", extra: (Int) -> String = { _ in "" }) -> String {
        let instances = (0..<count).map { index in
            """
                { "instanceName": "\(prefix)\(index)", "token": "tok-\(prefix)-\(index)",
                  "webhook": "https://hooks.example.com/\(prefix)/\(index)", "events": ["MESSAGES_UPSERT", "CONNECTION_UPDATE"],
                  "reject_call": true, "groups_ignore": false\(extra(index)) }
            """
        }
        return "{\n  \"instances\": [\n" + instances.joined(separator: ",\n") + "\n  ]\n}\n"
    }
}

extension SimulatedAPIVersion: CustomTestStringConvertible {
    public var testDescription: String { "\(self)" }
}
