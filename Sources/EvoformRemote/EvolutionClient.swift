import EvoformCore
import Foundation

/// The Evolution API client: typed operations over one transport, for either server
/// generation. Reads and sets retry (see `RetryPolicy`); a create is never retried blindly; a
/// lost answer to a mutating request is `RemoteError.outcomeUnknown`. A cancelled task starts no
/// new request (no retry, no further `find`), but a request already sent is always awaited.
public final class EvolutionClient: Sendable {
    public let endpoint: ServerEndpoint
    let transport: any HTTPTransport
    let observer: (any RequestObserver)?
    let timing: ClientTiming
    private let counter = RequestCounter()
    private let versionCache = VersionCache()
    private let listAhead = OneShot<Result<HTTPResponse, RemoteError>>()

    /// A client over a new transport for the endpoint (see `HTTPTransportFactory`), honouring the
    /// proxy variables of `environment`.
    public convenience init(
        endpoint: ServerEndpoint, observer: (any RequestObserver)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.init(
            endpoint: endpoint, transport: HTTPTransportFactory.transport(for: endpoint, environment: environment),
            observer: observer, timing: .live)
    }

    /// A client over any transport, with injectable timing (tests).
    public init(
        endpoint: ServerEndpoint, transport: any HTTPTransport, observer: (any RequestObserver)? = nil,
        timing: ClientTiming = .live
    ) {
        self.endpoint = endpoint
        self.transport = transport
        self.observer = observer
        self.timing = timing
    }

    /// HTTP requests sent so far, retries included.
    public var requestCount: Int { counter.value }

    // MARK: - Version and server

    /// The dialect to speak: the forced one, or (for `auto`) what `GET /` says, asked once.
    public func apiVersion() async throws(RemoteError) -> APIVersion {
        if let fixed = endpoint.version.fixed { return fixed }
        let result = await versionCache.value {
            do throws(RemoteError) {
                let info = try await self.serverInfo()
                guard let version = info.apiVersion else {
                    return .failure(
                        .unexpectedResponse(
                            self.context(.root, nil, status: 200),
                            detail: "version \"\(info.version)\" is neither 1.x nor 2.x; set apiVersion to v1 or v2"))
                }
                return .success(version)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `GET /`: the server's version and name. Needs no API key (none is sent).
    public func serverInfo() async throws(RemoteError) -> ServerInfo {
        let response = try await perform(Call(.root, kind: .read, authenticated: false))
        let json = try decode(response, .root, nil)
        guard let version = json?["version"]?.stringValue else {
            throw .unexpectedResponse(
                context(.root, nil, status: response.status), detail: "the answer to GET / names no version")
        }
        return ServerInfo(
            version: version, apiVersion: ServerInfo.apiVersion(of: version),
            clientName: json?["clientName"]?.stringValue, whatsappWebVersion: json?["whatsappWebVersion"]?.stringValue,
            message: json?["message"]?.stringValue)
    }

    /// Every instance the server lists, in the server's order.
    public func listInstances() async throws(RemoteError) -> [InstanceSummary] {
        try await fetchInstances().map(\.summary)
    }

    /// Reads the instance list now and keeps the answer for the next `fetchInstances`. For a
    /// caller that must ask the version first (`auto`) and then list: run it alongside
    /// `apiVersion()`, and both go out together, one round trip instead of two.
    public func readInstanceListAhead() async {
        let response: Result<HTTPResponse, RemoteError>
        do throws(RemoteError) {
            response = .success(try await perform(Call(.fetchInstances, kind: .read)))
        } catch {
            response = .failure(error)
        }
        listAhead.keep(response)
    }

    func fetchInstances() async throws(RemoteError) -> [ListedInstance] {
        let dialect = try await apiVersion().dialect
        let response: HTTPResponse
        if let ahead = listAhead.take() {
            response = try ahead.get()
        } else {
            response = try await perform(Call(.fetchInstances, kind: .read))
        }
        let json = try decode(response, .fetchInstances, nil)
        do {
            return try dialect.listed(from: json)
        } catch {
            throw .unexpectedResponse(context(.fetchInstances, nil, status: response.status), detail: error.detail)
        }
    }

    // MARK: - Connection

    /// `GET /instance/connectionState/{name}`.
    public func connectionState(_ name: InstanceName) async throws(RemoteError) -> ConnectionStatus {
        let response = try await perform(Call(.connectionState, name, kind: .read))
        let json = try decode(response, .connectionState, name)
        return Wire.status(json?["instance"]?["state"])
    }

    /// `GET /instance/connect/{name}`: starts a session if needed and returns a fresh QR code;
    /// nil when the instance is already connected (`open`).
    public func connect(_ name: InstanceName) async throws(RemoteError) -> QRCode? {
        let response = try await perform(Call(.connect, name, kind: .read))
        let json = try decode(response, .connect, name)
        guard let json else {
            throw .unexpectedResponse(
                context(.connect, name, status: response.status),
                detail: "an empty answer: the server could not start a session (see its logs)")
        }
        if json["error"]?.boolValue == true {
            throw .unexpectedResponse(
                context(.connect, name, status: response.status),
                detail: "the server could not start a session: \(mask(json["message"]?.stringValue ?? "no reason given", []))")
        }
        if json["instance"]?["state"] != nil { return nil }
        return Wire.qrCode(json)
    }

    /// `DELETE /instance/logout/{name}`: disconnects the phone; the instance stays.
    public func logout(_ name: InstanceName) async throws(RemoteError) {
        _ = try await perform(Call(.logout, name, kind: .delete))
    }

    // MARK: - Requests

    /// How a request may be retried.
    enum RequestKind: Sendable {
        /// Reads: retry connection failures (not DNS/TLS), 429 and 500/502/503/504.
        case read
        /// Idempotent writes (`set`): as reads; a lost answer that is never confirmed is
        /// `outcomeUnknown`.
        case write
        /// Create: only what certainly did not reach the server is retried (connection refused,
        /// 429); anything lost is `outcomeUnknown`.
        case create
        /// Delete and logout: retry connection refused and 429/5xx; a lost answer is
        /// `outcomeUnknown`; a 404 right after a 5xx means the first attempt worked.
        case delete
    }

    struct Call: Sendable {
        var endpoint: Endpoint
        var instance: InstanceName?
        var query: [(String, String)] = []
        var body: JSONValue?
        var kind: RequestKind
        var authenticated = true
        /// Values to mask out of any server message (besides the API key).
        var secrets: [Secret] = []

        init(
            _ endpoint: Endpoint, _ instance: InstanceName? = nil, body: JSONValue? = nil, kind: RequestKind,
            authenticated: Bool = true, secrets: [Secret] = []
        ) {
            self.endpoint = endpoint
            self.instance = instance
            self.body = body
            self.kind = kind
            self.authenticated = authenticated
            self.secrets = secrets
        }
    }

    /// Sends a call with the retry rules of its kind; returns a 2xx response or throws.
    func perform(_ call: Call) async throws(RemoteError) -> HTTPResponse {
        let path = call.endpoint.path(for: call.instance)
        let request = HTTPRequest(
            method: call.endpoint.method, url: url(path: path, query: call.query), headers: headers(for: call),
            body: call.body.map(JSONBody.encode), timeoutSeconds: endpoint.timeoutSeconds)
        let policy = endpoint.retry
        var attempt = 0
        // 429s are counted apart: waiting out a rate limit does not use up the failure budget.
        var rateLimited = 0
        var mayHaveApplied = false
        var previousStatus: Int?
        while true {
            attempt += 1
            let start = timing.now()
            let outcome: Result<HTTPResponse, TransportFailure>
            do {
                outcome = .success(try await transport.send(request))
            } catch {
                outcome = .failure(error)
            }
            counter.increment()
            let duration = timing.now() - start
            switch outcome {
            case .success(let response):
                if (200..<300).contains(response.status)
                    || (call.kind == .delete && response.status == 404 && (previousStatus ?? 0) >= 500)
                {
                    report(call, path, attempt, response.status, nil, duration, willRetry: false)
                    return response
                }
                var delay: Double?
                if response.status == 429 { rateLimited += 1 }
                let withinBudget =
                    response.status == 429
                    ? attempt < policy.maximumRateLimitedAttempts : attempt - rateLimited < policy.maximumAttempts
                if withinBudget, !Task.isCancelled, retries(status: response.status, kind: call.kind) {
                    let retryAfter =
                        [429, 503].contains(response.status)
                        ? RetryPolicy.retryAfterSeconds(response.header("retry-after")) : nil
                    delay = policy.delay(beforeRetry: attempt, retryAfter: retryAfter, random: timing.random)
                }
                report(call, path, attempt, response.status, nil, duration, willRetry: delay != nil)
                if let delay {
                    previousStatus = response.status
                    await timing.sleep(delay)
                    continue
                }
                throw statusError(response, call, attempts: attempt)
            case .failure(let failure):
                if call.endpoint.isMutating, failure.kind.mayHaveReachedServer { mayHaveApplied = true }
                var delay: Double?
                if attempt - rateLimited < policy.maximumAttempts, !Task.isCancelled,
                    retries(failure: failure.kind, kind: call.kind)
                {
                    delay = policy.delay(beforeRetry: attempt, retryAfter: nil, random: timing.random)
                }
                report(call, path, attempt, nil, failure.kind, duration, willRetry: delay != nil)
                if let delay {
                    previousStatus = nil
                    await timing.sleep(delay)
                    continue
                }
                let context = context(call.endpoint, call.instance, status: nil, attempts: attempt)
                if mayHaveApplied { throw .outcomeUnknown(context, cause: failure.kind) }
                if failure.kind == .tls { throw .tlsHandshake(context, reason: mask(failure.detail, call.secrets)) }
                if failure.kind == .proxy { throw .proxy(context, reason: mask(failure.detail, call.secrets)) }
                throw .transport(context, kind: failure.kind, timeoutSeconds: endpoint.timeoutSeconds)
            }
        }
    }

    private func retries(status: Int, kind: RequestKind) -> Bool {
        switch kind {
        case .read, .write, .delete: [429, 500, 502, 503, 504].contains(status)
        case .create: status == 429
        }
    }

    private func retries(failure: TransportFailureKind, kind: RequestKind) -> Bool {
        switch kind {
        case .read, .write: failure != .dns && failure != .tls && failure != .proxy
        case .create, .delete: failure == .refused
        }
    }

    /// Turns a non-2xx response into the error a user can act on.
    func statusError(_ response: HTTPResponse, _ call: Call, attempts: Int) -> RemoteError {
        let messages = JSONBody.errorMessages(in: response.body).map { mask($0, call.secrets) }
        let context = context(call.endpoint, call.instance, status: response.status, attempts: attempts)
        let prefix = "Cannot \(call.endpoint.method) "
        switch response.status {
        case 401:
            return .unauthorized(context, messages: messages)
        case 403:
            if messages.contains(where: { $0.contains("already in use") }) { return .nameInUse(context, messages: messages) }
            return .unauthorized(context, messages: messages)
        case 404:
            if messages.contains(where: { $0.hasPrefix(prefix) }) {
                return .unexpectedResponse(
                    context, detail: "the server has no such route (\(messages.joined(separator: "; ")))")
            }
            return .notFound(context, messages: messages)
        case 429:
            return .server(context, messages: messages)
        case 400..<500:
            return .validation(context, messages: messages)
        default:
            return .server(context, messages: messages)
        }
    }

    /// Parses a 2xx body; a body that is not JSON is an unexpected response.
    func decode(_ response: HTTPResponse, _ endpoint: Endpoint, _ instance: InstanceName?) throws(RemoteError) -> JSONValue? {
        do {
            return try JSONBody.decode(response.body)
        } catch {
            throw .unexpectedResponse(
                context(endpoint, instance, status: response.status), detail: "the answer is not JSON")
        }
    }

    func context(_ endpoint: Endpoint, _ instance: InstanceName?, status: Int?, attempts: Int = 1) -> RequestContext {
        RequestContext(
            server: self.endpoint.displayURL, endpoint: endpoint, instance: instance, status: status, attempts: attempts)
    }

    /// Replaces the API key and the call's secrets by `(sensitive)` in server text.
    func mask(_ text: String, _ secrets: [Secret]) -> String {
        var text = text
        for secret in [endpoint.apiKey] + secrets where secret.revealed.count >= 3 {
            text = text.replacingOccurrences(of: secret.revealed, with: "(sensitive)")
        }
        return text
    }

    private func url(path: String, query: [(String, String)]) -> URL {
        var base = endpoint.url.absoluteString
        if let queryStart = base.firstIndex(where: { $0 == "?" || $0 == "#" }) { base = String(base[..<queryStart]) }
        while base.hasSuffix("/") { base.removeLast() }
        var text = base + path
        if !query.isEmpty {
            text += "?" + query.map { Endpoint.encodeSegment($0.0) + "=" + Endpoint.encodeSegment($0.1) }.joined(separator: "&")
        }
        return URL(string: text) ?? endpoint.url
    }

    private func headers(for call: Call) -> [String: String] {
        var headers = ["Accept": "application/json"]
        if call.authenticated { headers["apikey"] = endpoint.apiKey.revealed }
        if call.body != nil { headers["Content-Type"] = "application/json" }
        return headers
    }

    private func report(
        _ call: Call, _ path: String, _ attempt: Int, _ status: Int?, _ failure: TransportFailureKind?,
        _ duration: Double, willRetry: Bool
    ) {
        observer?.didSend(
            RequestEvent(
                endpoint: call.endpoint, path: path, instance: call.instance, attempt: attempt, status: status,
                failure: failure, durationSeconds: duration, willRetry: willRetry))
    }
}

/// Counts requests across concurrent tasks.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

/// The version `GET /` reported, asked once however many callers race for it. A failure is
/// not kept, so the next caller asks again.
actor VersionCache {
    private var task: Task<Result<APIVersion, RemoteError>, Never>?

    func value(_ make: @escaping @Sendable () async -> Result<APIVersion, RemoteError>) async -> Result<
        APIVersion, RemoteError
    > {
        if let task { return await task.value }
        let task = Task { await make() }
        self.task = task
        let result = await task.value
        if case .failure = result { self.task = nil }
        return result
    }
}

/// A value read ahead and handed, once, to the first caller that takes it.
final class OneShot<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    func keep(_ value: Value) { lock.withLock { self.value = value } }

    func take() -> Value? {
        lock.withLock {
            defer { value = nil }
            return value
        }
    }
}
