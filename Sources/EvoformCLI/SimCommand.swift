import Dispatch
import EvoformCore
import EvolutionSimulator
import Foundation

/// `evoform sim`: serves a local imitation of the Evolution API until SIGINT or SIGTERM.
struct SimCommand: Command {
    static let name = "sim"
    static let abstract = "Serve a local simulated Evolution API (v1.8.2 or v2.3.6) for tests and demos."
    static let synopsis = """
        [--host 127.0.0.1] [--port N] [--api-version v1|v2] [--api-key KEY] [--latency-ms N] \
        [--fail-rate F] [--lose-response-rate F] [--rate-limit N] [--unavailable-every N] [--seed N] [--delete-lag-ms N] [--qr-delay-ms N] \
        [--tls-cert FILE --tls-key FILE]
        """
    static let discussion = """
        Prints "listening on http://HOST:PORT" as its first line, then serves until interrupted.
        With --tls-cert and --tls-key it serves https on the same port instead (and prints
        "listening on https://HOST:PORT").
        Faults hit mutating requests only (add --faults-affect-reads for every request).
        Test hooks live under /__sim/ and need the global key; see
        Sources/EvolutionSimulator/README.md.
        """
    static let options: [OptionSpec] = [
        .value("host", placeholder: "ADDRESS", help: "IPv4 address to listen on (default 127.0.0.1)."),
        .value("port", placeholder: "N", help: "TCP port (default 8080; 0 picks a free port)."),
        .value("api-version", placeholder: "v1|v2", help: "Server generation to imitate: v1 = 1.8.2, v2 = 2.3.6 (default v2)."),
        .value("api-key", placeholder: "KEY", help: "The global API key (default change-me)."),
        .value("latency-ms", placeholder: "N", help: "Delay added to every API request (default 0)."),
        .value("fail-rate", placeholder: "F", help: "Probability 0..1 of answering 500 before applying a mutating request."),
        .value(
            "lose-response-rate", placeholder: "F",
            help: "Probability 0..1 of applying a mutating request, then closing without answering."),
        .value("rate-limit", placeholder: "N", help: "Admit N API requests per second; answer the rest 429 with Retry-After (default: no limit)."),
        .value("unavailable-every", placeholder: "N", help: "Every Nth API request starts a burst of three 503 answers (default: never)."),
        .value("seed", placeholder: "N", help: "Seed for faults, ids, tokens and QR codes (default 1)."),
        .value("delete-lag-ms", placeholder: "N", help: "v2: how long a deleted instance lingers (default 200)."),
        .value("qr-delay-ms", placeholder: "N", help: "How long QR answers are held back (default 0; the real server: 5000)."),
        .value("v1-storage", placeholder: "mongo|files", help: "v1: storage mode imitated (default mongo)."),
        .flag("faults-affect-reads", help: "Let --fail-rate and --lose-response-rate hit GET requests too."),
        .value("tls-cert", placeholder: "FILE", help: "PEM certificate chain: serve https (needs --tls-key)."),
        .value("tls-key", placeholder: "FILE", help: "PEM private key of --tls-cert."),
    ]

    static let defaultPort = 8080
    static let defaultDeleteLagMilliseconds = 200

    /// The simulator configuration the arguments describe.
    static func configuration(from arguments: ParsedArguments) throws(UsageError) -> SimulatorConfiguration {
        if let extra = arguments.positionals.first {
            throw UsageError("unexpected argument \"\(extra)\"", command: name)
        }
        let versionText = arguments.value("api-version") ?? "v2"
        guard let version = SimulatedAPIVersion(rawValue: versionText) else {
            throw UsageError("--api-version must be v1 or v2, not \"\(versionText)\"", command: name)
        }
        var configuration = SimulatorConfiguration(apiVersion: version)
        configuration.host = arguments.value("host") ?? "127.0.0.1"
        guard isIPv4(configuration.host) || configuration.host == "localhost" else {
            throw UsageError("--host must be an IPv4 address such as 127.0.0.1, not \"\(configuration.host)\"", command: name)
        }
        configuration.port = try integer("port", in: arguments, default: defaultPort, range: 0...65535)
        if let key = arguments.value("api-key") {
            guard !key.isEmpty else { throw UsageError("--api-key must not be empty", command: name) }
            configuration.apiKey = key
        }
        configuration.latencyMilliseconds = try integer("latency-ms", in: arguments, default: 0, range: 0...600_000)
        configuration.failRate = try rate("fail-rate", in: arguments)
        configuration.loseResponseRate = try rate("lose-response-rate", in: arguments)
        configuration.rateLimitPerSecond = try integer("rate-limit", in: arguments, default: 0, range: 0...1_000_000)
        configuration.unavailableEvery = try integer("unavailable-every", in: arguments, default: 0, range: 0...1_000_000)
        if let seedText = arguments.value("seed") {
            guard let seed = UInt64(seedText) else {
                throw UsageError("--seed must be a whole number from 0 to \(UInt64.max), not \"\(seedText)\"", command: name)
            }
            configuration.seed = seed
        }
        configuration.deleteLagMilliseconds = try integer(
            "delete-lag-ms", in: arguments, default: defaultDeleteLagMilliseconds, range: 0...600_000)
        configuration.qrDelayMilliseconds = try integer("qr-delay-ms", in: arguments, default: 0, range: 0...600_000)
        if let storageText = arguments.value("v1-storage") {
            guard let storage = SimulatedV1Storage(rawValue: storageText) else {
                throw UsageError("--v1-storage must be mongo or files, not \"\(storageText)\"", command: name)
            }
            configuration.v1Storage = storage
        }
        configuration.faultsAffectReads = arguments.flag("faults-affect-reads")
        configuration.tlsCertificateFile = arguments.value("tls-cert")
        configuration.tlsKeyFile = arguments.value("tls-key")
        if (configuration.tlsCertificateFile == nil) != (configuration.tlsKeyFile == nil) {
            throw UsageError("--tls-cert and --tls-key go together: give both to serve https", command: name)
        }
        return configuration
    }

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        let configuration = try configuration(from: arguments)
        let stopSignal = StopSignal()
        return try await serve(
            configuration, in: context, onReady: { stopSignal.observe([SIGINT, SIGTERM]) },
            until: { await stopSignal.wait() })
    }

    /// Starts the simulator, runs `onReady`, announces the address on the first line of standard
    /// output, serves until `stopRequested` returns, then stops it.
    static func serve(
        _ configuration: SimulatorConfiguration, in context: CommandContext, onReady: () -> Void = {},
        until stopRequested: () async -> Void
    ) async throws -> ExitStatus {
        let simulator: EvolutionSimulator
        do {
            simulator = try await EvolutionSimulator.start(configuration)
        } catch let error as SimulatorError {
            if case .cannotListen = error { throw SimCommandError(message: error.description) }
            throw SimCommandError(message: error.description, hint: nil)
        }
        onReady()
        context.standardOutput.line("listening on \(simulator.baseURL)")
        context.standardError.line(
            "evoform sim: Evolution API \(configuration.apiVersion == .v1 ? "1.8.2" : "2.3.6") simulator "
                + "(test hooks under /__sim/); Ctrl-C to stop")
        await stopRequested()
        await simulator.stop()
        context.standardError.line("evoform sim: stopped")
        return .success
    }

    private static func integer(
        _ option: String, in arguments: ParsedArguments, default defaultValue: Int, range: ClosedRange<Int>
    ) throws(UsageError) -> Int {
        guard let text = arguments.value(option) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(
                "--\(option) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"",
                command: name)
        }
        return value
    }

    private static func rate(_ option: String, in arguments: ParsedArguments) throws(UsageError) -> Double {
        guard let text = arguments.value(option) else { return 0 }
        guard let value = Double(text), value.isFinite, (0...1).contains(value) else {
            throw UsageError("--\(option) must be a number from 0 to 1, not \"\(text)\"", command: name)
        }
        return value
    }

    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && Int(part).map { $0 <= 255 } == true
        }
    }
}

/// The simulator could not start (e.g. the port is taken).
struct SimCommandError: UserFacingError {
    var message: String
    var hint: String? = "choose another --port or stop what is using it"
    var userMessage: String { hint.map { "\(message); \($0)" } ?? message }
}

/// A one-shot event: the first `fire` wakes every `wait`er, later ones too.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var sources: [any DispatchSourceSignal] = []

    /// Fires on any of `signals`: their default action is switched off first, then Dispatch
    /// observes them.
    func observe(_ signals: [Int32]) {
        let installed = signals.map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            return source
        }
        lock.lock()
        sources += installed
        lock.unlock()
    }

    func fire() {
        lock.lock()
        fired = true
        let pending = waiters
        waiters.removeAll()
        lock.unlock()
        pending.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if fired {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
