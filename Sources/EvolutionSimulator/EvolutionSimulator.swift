import Foundation

/// A local, faithful imitation of the Evolution API (1.8.2 or 2.3.6) served over real HTTP on
/// loopback, with fault injection and test hooks. Start one per test; stop it at the end.
public final class EvolutionSimulator: Sendable {
    /// The bound TCP port (a free one when the configuration asked for port 0).
    public let port: Int
    /// `http://HOST:PORT`, or `https://HOST:PORT` when serving TLS.
    public let baseURL: String
    public let configuration: SimulatorConfiguration
    private let engine: SimulatorEngine
    private let server: HTTPServer

    private init(configuration: SimulatorConfiguration, engine: SimulatorEngine, server: HTTPServer) {
        self.configuration = configuration
        self.engine = engine
        self.server = server
        self.port = server.port
        let scheme = configuration.tlsCertificateFile == nil ? "http" : "https"
        self.baseURL = "\(scheme)://\(configuration.host):\(server.port)"
    }

    /// Binds the port and starts serving on a dedicated I/O thread.
    public static func start(_ configuration: SimulatorConfiguration) async throws -> EvolutionSimulator {
        guard (0...1).contains(configuration.failRate), (0...1).contains(configuration.loseResponseRate) else {
            throw SimulatorError.invalidConfiguration("fail and lose-response rates must be between 0 and 1")
        }
        guard configuration.latencyMilliseconds >= 0, configuration.deleteLagMilliseconds >= 0, configuration.rateLimitPerSecond >= 0, configuration.unavailableEvery >= 0,
            configuration.qrDelayMilliseconds >= 0, (0...65535).contains(configuration.port)
        else {
            throw SimulatorError.invalidConfiguration("ports, delays and latencies must not be negative")
        }
        var tls: TLSServerContext?
        switch (configuration.tlsCertificateFile, configuration.tlsKeyFile) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            do throws(TLSServerFailure) {
                tls = try TLSServerContext(certificateFile: certificate, keyFile: key)
            } catch {
                throw SimulatorError.invalidConfiguration(error.reason)
            }
        default:
            throw SimulatorError.invalidConfiguration("a TLS certificate and its key go together")
        }
        let engine = SimulatorEngine(configuration: configuration)
        let server: HTTPServer
        do {
            server = try HTTPServer(
                host: configuration.host, port: configuration.port,
                limits: HTTPLimits(maxHeaderBytes: 16 * 1024, maxBodyBytes: configuration.maxBodyBytes),
                idleTimeout: .milliseconds(configuration.idleTimeoutMilliseconds), tls: tls,
                handler: { [engine] request in engine.handle(request) })
        } catch {
            throw SimulatorError.cannotListen(error.description)
        }
        let simulator = EvolutionSimulator(configuration: configuration, engine: engine, server: server)
        engine.withLock { engine.serverURL = configuration.serverURL ?? simulator.baseURL }
        return simulator
    }

    /// Closes the listener and every connection; returns once the I/O thread has stopped.
    public func stop() async {
        await server.stop()
    }

    /// TCP connections accepted since the simulator started: clients reusing keep-alive
    /// connections open fewer than they send requests.
    public func connectionsAccepted() async -> Int {
        server.connectionsAccepted
    }

    /// Every API request so far, oldest first (requests to `/__sim/` are not included).
    public func requestLog() async -> [SimulatedRequest] {
        engine.recordedRequests()
    }

    /// Forgets the request log and the per-route counters.
    public func resetLog() async {
        engine.reset(instances: false)
    }

    /// Forgets the log, the counters and every instance.
    public func resetAll() async {
        engine.reset(instances: true)
    }

    /// How many requests each route received, keyed like `POST /instance/create`
    /// (`unmatched` for unknown routes).
    public func routeCounters() async -> [String: Int] {
        engine.routeCounters()
    }

    /// Forces an instance's connection state: `open` (paired), `connecting` (a QR session) or `close`.
    public func setConnectionState(_ state: String, of instance: String) async throws {
        try engine.setState(state, of: instance)
    }

    /// Changes a stored section out of band (drift). `patch` is a JSON object in that version's
    /// find shape, merged key by key into the stored record; the JSON `null` removes the section.
    public func tamper(instance: String, section: SimulatorSection, patch: Data) async throws {
        let parsed: WireJSON
        do {
            parsed = try WireJSONParser.parse(Array(patch))
        } catch {
            throw SimulatorError.invalidPatch(error.message)
        }
        try engine.tamper(instance, section: section, patch: parsed)
    }

    /// Creates an instance without an API request, as a bare create would leave it.
    public func createOutOfBand(instanceName: String, token: String?) async throws {
        try engine.createOutOfBand(name: instanceName, token: token)
    }

    /// Deletes an instance immediately, without an API request.
    public func deleteOutOfBand(instanceName: String) async throws {
        try engine.deleteOutOfBand(name: instanceName)
    }

    /// Changes the injected faults from now on.
    public func setFaults(failRate: Double, loseResponseRate: Double, latencyMilliseconds: Int) async {
        engine.setFaults(
            .init(
                failRate: min(max(failRate, 0), 1), loseResponseRate: min(max(loseResponseRate, 0), 1),
                latencyMilliseconds: max(0, latencyMilliseconds)))
    }

    /// The names of the instances that exist (including v2 instances still being removed), in creation order.
    /// The most API requests in flight at once since the log was last reset.
    public func maxConcurrentRequests() async -> Int { engine.maxConcurrentRequests() }

    /// How many times the Chatwoot inbox bootstrap ran for `name` (see `SimulatedInstance`).
    public func chatwootBootstraps(of name: String) async -> Int { engine.chatwootBootstraps(of: name) }

    public func instanceNames() async -> [String] {
        engine.names()
    }

    /// The connection state of an instance, or nil when it does not exist.
    public func connectionState(of instance: String) async -> String? {
        engine.withLock {
            engine.purgeExpiredRemovals()
            return engine.instances[instance]?.state.rawValue
        }
    }

    /// The token an instance authenticates with, or nil when it does not exist.
    public func token(of instance: String) async -> String? {
        engine.withLock { engine.instances[instance]?.token }
    }
}
