import EvoformCore
import EvoformManifest
import EvolutionSimulator
import Foundation

/// `evoform demo`: the whole loop on a simulated server, in one command.
struct DemoCommand: Command {
    static let name = "demo"
    static let abstract = "Run plan -> apply -> plan on the example fleet against a built-in simulator."
    static let synopsis = "[-f FILE] [--api-version v1|v2] [--latency-ms N]"
    static let discussion = """
        Starts the Evolution API simulator in this process on a free loopback port, uses a temporary
        state file, sets demo values for every ${VAR} the manifest reads, and runs plan, apply and a
        final plan that shows no changes. Nothing outside the temporary folder is touched.
        """
    static let options: [OptionSpec] = [
        CommonOptions.file,
        .value("api-version", placeholder: "v1|v2", help: "Which server generation to simulate (default v2)."),
        .value("latency-ms", placeholder: "N", help: "Simulated latency per request (default 5)."),
        CommonOptions.noColor,
    ]

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        let manifestPath = arguments.value("file") ?? "examples/fleet.jsonc"
        let manifestURL = context.resolve(path: manifestPath)
        guard let text = try? String(contentsOf: manifestURL, encoding: .utf8) else {
            throw DemoError.noManifest(manifestPath)
        }
        let version: SimulatedAPIVersion
        switch arguments.value("api-version") ?? "v2" {
        case "v1": version = .v1
        case "v2": version = .v2
        case let other: throw UsageError("--api-version takes v1 or v2, not \"\(other)\"", command: name)
        }
        var configuration = SimulatorConfiguration(apiVersion: version)
        configuration.apiKey = "demo-api-key"
        configuration.latencyMilliseconds = Int(arguments.value("latency-ms") ?? "5") ?? 5
        let simulator = try await EvolutionSimulator.start(configuration)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evoform-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var environment = context.environment
        for variable in ManifestLoader.variablesWithoutDefault(in: text) where environment[variable] == nil {
            environment[variable] = "demo-" + variable.lowercased().replacingOccurrences(of: "_", with: "-")
        }
        environment["EVOLUTION_API_URL"] = simulator.baseURL
        environment["EVOLUTION_API_KEY"] = configuration.apiKey
        environment["EVOFORM_STATE"] = folder.appendingPathComponent("evoform.db").path
        var demoContext = context
        demoContext.environment = environment
        demoContext.inputIsTerminal = false

        let out = context.standardOutput
        out.line("Simulated Evolution API \(version == .v1 ? "v1.8.2" : "v2.3.6") listening on \(simulator.baseURL)")
        out.line("Manifest: \(manifestPath); temporary state: \(folder.path)/evoform.db\n")
        var flags = ["-f", manifestURL.path]
        if arguments.flag("no-color") { flags.append("--no-color") }
        var status = ExitStatus.success
        for step in [["plan"], ["apply", "--auto-approve"], ["plan", "--detailed-exitcode"]] {
            out.line("$ evoform \(step.joined(separator: " ")) -f \(manifestPath)\n")
            status = await Evoform.main(arguments: step + flags, context: demoContext)
            out.line("")
            guard status == .success else { break }
        }
        let requests = await simulator.requestLog()
        await simulator.stop()
        if status == .success {
            out.line("The fleet converged: \(requests.filter(\.isMutating).count) mutating requests in all; the final plan made none.")
        }
        return status
    }
}

enum DemoError: UserFacingError {
    case noManifest(String)

    var userMessage: String {
        switch self {
        case .noManifest(let path):
            "cannot read \(path); run the demo from the repository root, or pass -f with a manifest"
        }
    }
}
