/// Which server generation the simulator imitates.
public enum SimulatedAPIVersion: String, Sendable, CaseIterable {
    /// Evolution API 1.8.2 (snake_case, MongoDB or file storage).
    case v1
    /// Evolution API 2.3.6 (camelCase, Prisma storage, `CHATWOOT_ENABLED=true`).
    case v2
}

/// Where the imitated v1 server stores instance records. It decides what the "find" endpoints
/// answer for a section that was never set.
public enum SimulatedV1Storage: String, Sendable, CaseIterable {
    /// `DATABASE_ENABLED=true`: webhook find of an unset webhook answers a disabled default object.
    case mongo
    /// The default file store: webhook find of an unset webhook answers `{}`.
    case files
}

/// A stored configuration section that test hooks can tamper with.
public enum SimulatorSection: String, Sendable, CaseIterable {
    case webhook
    case settings
    case chatwoot
}

/// Everything that shapes one simulator run. Every field has a default except the version.
public struct SimulatorConfiguration: Sendable, Equatable {
    /// The IPv4 address to listen on.
    public var host = "127.0.0.1"
    /// The TCP port; 0 picks a free one (read it back from `EvolutionSimulator.port`).
    public var port = 0
    public var apiVersion: SimulatedAPIVersion
    /// The global API key (`AUTHENTICATION_API_KEY`).
    public var apiKey = "change-me"
    /// Added before every API request is handled, without holding up other connections.
    public var latencyMilliseconds = 0
    /// The probability that a mutating request is answered 500 before anything is applied.
    public var failRate = 0.0
    /// The probability that a mutating request is applied and its connection then closed
    /// without an answer.
    public var loseResponseRate = 0.0
    /// API requests admitted per second; past it, `429` with `Retry-After: 1` (0: no limit).
    public var rateLimitPerSecond = 0
    /// Every this many API requests, a burst of three `503` answers starts (0: never).
    public var unavailableEvery = 0
    /// Seeds the simulator's generator: fault decisions, instance ids, generated tokens, QR codes.
    public var seed: UInt64 = 1
    /// v2 only: how long a deleted (or rolled-back) instance keeps existing in the background.
    public var deleteLagMilliseconds = 0
    /// How long `qrcode: true` creates and `connect` hold their answer (the real server sleeps 5 s / 2 s).
    public var qrDelayMilliseconds = 0
    /// v1 only: the storage mode imitated.
    public var v1Storage = SimulatedV1Storage.mongo
    /// Whether faults also hit reading requests (GET). By default only mutating requests fail.
    public var faultsAffectReads = false
    /// The `SERVER_URL` the server puts in `webhook_url` and `serverUrl`; nil means the simulator's own base URL.
    public var serverURL: String?
    /// The largest request body accepted; larger ones get 413.
    public var maxBodyBytes = 8 * 1024 * 1024
    /// Idle keep-alive connections are closed after this long.
    public var idleTimeoutMilliseconds = 60_000
    /// The request log keeps at most this many entries (the oldest tenth is dropped when full),
    /// so long benchmark runs do not grow without bound.
    public var requestLogLimit = 100_000
    /// A PEM certificate chain: with `tlsKeyFile`, the simulator serves https on its port.
    public var tlsCertificateFile: String?
    /// The PEM private key of `tlsCertificateFile`.
    public var tlsKeyFile: String?

    public init(
        apiVersion: SimulatedAPIVersion, host: String = "127.0.0.1", port: Int = 0, apiKey: String = "change-me",
        latencyMilliseconds: Int = 0, failRate: Double = 0, loseResponseRate: Double = 0, seed: UInt64 = 1,
        deleteLagMilliseconds: Int = 0, qrDelayMilliseconds: Int = 0, v1Storage: SimulatedV1Storage = .mongo,
        faultsAffectReads: Bool = false, serverURL: String? = nil, maxBodyBytes: Int = 8 * 1024 * 1024,
        idleTimeoutMilliseconds: Int = 60_000, requestLogLimit: Int = 100_000, tlsCertificateFile: String? = nil,
        tlsKeyFile: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.latencyMilliseconds = latencyMilliseconds
        self.failRate = failRate
        self.loseResponseRate = loseResponseRate
        self.seed = seed
        self.deleteLagMilliseconds = deleteLagMilliseconds
        self.qrDelayMilliseconds = qrDelayMilliseconds
        self.v1Storage = v1Storage
        self.faultsAffectReads = faultsAffectReads
        self.serverURL = serverURL
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
        self.requestLogLimit = max(1, requestLogLimit)
        self.tlsCertificateFile = tlsCertificateFile
        self.tlsKeyFile = tlsKeyFile
    }
}

/// One API request as the simulator saw it (requests to `/__sim/` are not recorded).
public struct SimulatedRequest: Sendable, Equatable, CustomStringConvertible {
    public var method: String
    /// The path without the query string, as sent (percent-encoded).
    public var path: String
    /// The query string without `?`; empty when there is none.
    public var query: String
    /// The status answered, or that would have been answered when the response was lost.
    public var status: Int
    /// The instance the request concerned: the path's name, create's `instanceName`, or
    /// fetchInstances' `instanceName` query.
    public var instance: String?
    /// Whether the request can change server state (POST, PUT, DELETE, PATCH).
    public var isMutating: Bool
    /// The route it matched, e.g. `POST /instance/create`; nil for an unknown route.
    public var route: String?
    /// The fault injected, if any.
    public var fault: SimulatedFault?

    public init(
        method: String, path: String, query: String = "", status: Int, instance: String?, isMutating: Bool,
        route: String? = nil, fault: SimulatedFault? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.instance = instance
        self.isMutating = isMutating
        self.route = route
        self.fault = fault
    }

    public var description: String {
        var text = "\(method) \(path)\(query.isEmpty ? "" : "?" + query) -> \(status)"
        if let fault { text += " [\(fault.rawValue)]" }
        return text
    }
}

/// A fault the simulator injected into a request.
public enum SimulatedFault: String, Sendable, Equatable {
    /// Answered 500 before applying anything.
    case failed
    /// Applied, then the connection was closed without an answer.
    case responseLost
}

/// Errors of the simulator's own API (not HTTP errors of the imitated server).
public enum SimulatorError: Error, Equatable, CustomStringConvertible {
    case cannotListen(String)
    case unknownInstance(String)
    case instanceExists(String)
    case invalidConnectionState(String)
    case invalidPatch(String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .cannotListen(let reason): "the simulator cannot listen: \(reason)"
        case .unknownInstance(let name): "no instance named \"\(name)\" in the simulator"
        case .instanceExists(let name): "an instance named \"\(name)\" already exists in the simulator"
        case .invalidConnectionState(let state): "unknown connection state \"\(state)\"; use open, connecting or close"
        case .invalidPatch(let reason): "invalid tamper patch: \(reason)"
        case .invalidConfiguration(let reason): "invalid simulator configuration: \(reason)"
        }
    }
}
