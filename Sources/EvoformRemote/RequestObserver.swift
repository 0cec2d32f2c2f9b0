import EvoformCore

/// Receives one event per HTTP attempt, for `EVOFORM_LOG` traces and tests. Events carry no
/// body and no header, so no secret can reach a log through them.
public protocol RequestObserver: Sendable {
    func didSend(_ event: RequestEvent)
}

/// One attempt of one request.
public struct RequestEvent: Sendable, Hashable {
    public var endpoint: Endpoint
    /// The concrete path, with the instance name percent-encoded (names are not secret).
    public var path: String
    public var instance: InstanceName?
    /// 1 for the first attempt, 2 for the first retry, ...
    public var attempt: Int
    /// The HTTP status, when a response arrived.
    public var status: Int?
    /// Why no response arrived, otherwise.
    public var failure: TransportFailureKind?
    public var durationSeconds: Double
    /// Whether the client is going to try again.
    public var willRetry: Bool

    public init(
        endpoint: Endpoint, path: String, instance: InstanceName?, attempt: Int, status: Int?,
        failure: TransportFailureKind?, durationSeconds: Double, willRetry: Bool
    ) {
        self.endpoint = endpoint
        self.path = path
        self.instance = instance
        self.attempt = attempt
        self.status = status
        self.failure = failure
        self.durationSeconds = durationSeconds
        self.willRetry = willRetry
    }

    /// One line for a trace, e.g. `POST /webhook/set/sales01 -> 201 (12 ms)`.
    public var traceLine: String {
        let outcome = status.map(String.init) ?? failure?.rawValue ?? "?"
        let milliseconds = Int((durationSeconds * 1000).rounded())
        var line = "\(endpoint.method) \(path) -> \(outcome) (\(milliseconds) ms)"
        if attempt > 1 { line += " attempt \(attempt)" }
        if willRetry { line += ", retrying" }
        return line
    }
}
