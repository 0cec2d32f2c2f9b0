@testable import EvoformCLI
import EvoformCore
import EvoformState
import Foundation
import Testing

/// A temporary working directory for one test, removed afterwards.
final class WorkingDirectory: @unchecked Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("evoform-cli-tests-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The default state location under this directory.
    var defaultState: URL { url.appendingPathComponent("state/evoform.db") }
}

/// What one in-process run of the command line produced.
struct CLIResult {
    var status: EvoformCore.ExitStatus
    var standardOutput: String
    var standardError: String
}

/// Runs `evoform ARGUMENTS` in-process with captured output.
func evoform(
    _ arguments: [String], in directory: WorkingDirectory, environment: [String: String] = [:],
    answers: [String] = [], inputIsTerminal: Bool = false
) async -> CLIResult {
    let output = TextSink(capturingAsTerminal: false)
    let errors = TextSink(capturingAsTerminal: false)
    let pending = AnswerQueue(answers)
    let context = CommandContext(
        environment: environment, workingDirectory: directory.url, standardOutput: output, standardError: errors,
        readLine: { pending.next() }, inputIsTerminal: inputIsTerminal)
    let status = await Evoform.main(arguments: arguments, context: context)
    return CLIResult(status: status, standardOutput: output.text, standardError: errors.text)
}

final class AnswerQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String]
    init(_ answers: [String]) { self.answers = answers }
    func next() -> String? { lock.withLock { answers.isEmpty ? nil : answers.removeFirst() } }
}

/// A typical managed instance with its secrets fingerprinted by `store`.
func seedInstance(_ name: String, in store: StateStore, token: String = "tok-\(UUID().uuidString)") throws -> ManagedInstance {
    var configuration = InstanceConfiguration()
    configuration[.qrcode] = .bool(true)
    configuration[.token] = .secret(store.fingerprinter.fingerprint(Secret(token)))
    configuration[.chatwootToken] = .secret(store.fingerprinter.fingerprint(Secret("cw-" + token)))
    configuration[.webhookURL] = .string("https://hooks.example.com/\(name)")
    configuration[.webhookEvents] = .events(.only(["MESSAGES_UPSERT", "CONNECTION_UPDATE"]))
    configuration[.rejectCall] = .bool(true)
    return try store.record(
        ManagedInstance(
            name: InstanceName(name), serverURL: "http://127.0.0.1:8080", apiVersion: .v2, serverID: "id-\(name)",
            configuration: configuration))
}

/// Makes a state with the given instances at `url` and closes it.
@discardableResult
func seedState(at url: URL, names: [String]) throws -> (lineage: String, instances: [ManagedInstance]) {
    let store = try StateStore.open(at: url, operation: "seed")
    defer { store.close() }
    let instances = try names.map { try seedInstance($0, in: store) }
    return (store.lineage, instances)
}
