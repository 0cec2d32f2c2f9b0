import EvoformCore
import EvoformRemote
import EvolutionSimulator
import Foundation

/// Starts a simulator for one test and builds clients pointed at it.
struct SimulatorHarness {
    let simulator: EvolutionSimulator
    let apiKey = "sim-global-key"

    static func start(
        _ version: APIVersion, configure: (inout SimulatorConfiguration) -> Void = { _ in }
    ) async throws -> SimulatorHarness {
        var configuration = SimulatorConfiguration(apiVersion: version == .v1 ? .v1 : .v2)
        configuration.apiKey = "sim-global-key"
        configuration.latencyMilliseconds = 0
        configuration.failRate = 0
        configuration.loseResponseRate = 0
        configuration.seed = 1
        configuration.deleteLagMilliseconds = 0
        configure(&configuration)
        return SimulatorHarness(simulator: try await EvolutionSimulator.start(configuration))
    }

    /// Runs `body` against a fresh simulator and stops it afterwards, whatever happens.
    static func with<T>(
        _ version: APIVersion, configure: (inout SimulatorConfiguration) -> Void = { _ in },
        _ body: (SimulatorHarness) async throws -> T
    ) async throws -> T {
        let harness = try await start(version, configure: configure)
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            await harness.stop()
            throw error
        }
    }

    var url: URL { URL(string: simulator.baseURL)! }

    /// The platform's real transport: the socket transport on Linux, URLSession elsewhere.
    static func defaultTransport() -> any HTTPTransport {
        #if os(Linux)
            SocketHTTPTransport()
        #else
            URLSessionTransport()
        #endif
    }

    /// A client over the platform's real transport; `timing` replaces only the retry pauses.
    func client(
        _ version: APIVersionChoice = .auto, key: String? = nil, retry: RetryPolicy = .standard, timeoutSeconds: Int = 5,
        observer: (any RequestObserver)? = nil, transport: (any HTTPTransport)? = nil, timing: ClientTiming = .instant
    ) -> EvolutionClient {
        EvolutionClient(
            endpoint: ServerEndpoint(
                url: url, apiKey: Secret(key ?? apiKey), version: version, timeoutSeconds: timeoutSeconds, retry: retry),
            transport: transport ?? Self.defaultTransport(), observer: observer, timing: timing)
    }

    /// Requests the simulator saw since `mark` (an index into its log).
    func requests(since mark: Int = 0) async -> [SimulatedRequest] {
        Array(await simulator.requestLog().dropFirst(mark))
    }

    func stop() async { await simulator.stop() }
}

extension ClientTiming {
    /// Real clock, no waiting between retries (retry tests need no wall time).
    static let instant = ClientTiming(random: { $0.lowerBound }, sleep: { _ in }, now: ClientTiming.live.now)
}

/// Wraps a transport and records the largest number of requests in flight at once.
final class ConcurrencyProbe: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var current = 0
    private var peak = 0

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var maximumInFlight: Int { lock.withLock { peak } }

    func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        lock.withLock {
            current += 1
            peak = max(peak, current)
        }
        defer { lock.withLock { current -= 1 } }
        return try await inner.send(request)
    }
}
