// Not built on Linux: there `SocketHTTPTransport` carries every request, so neither
// FoundationNetworking nor libcurl is linked (about 12 ms of start-up per command).
#if !os(Linux)
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real transport: one long-lived `URLSession` for the whole run.
///
/// - No cache, no cookies, no credential store: every answer comes from the server.
/// - Requests are never cancelled once sent (corelibs-foundation can hang when many in-flight
///   tasks are cancelled); a Swift task that is cancelled still waits for its response.
/// - HTTP authentication challenges (a 401 with `WWW-Authenticate`, added by a proxy) are
///   cancelled at once and reported as status 401, instead of hanging the task.
/// - `insecure` accepts any server certificate where the platform asks the delegate (Darwin).
///   corelibs-foundation on Linux verifies certificates in libcurl and never asks, so there it
///   has no effect; see the module README.
/// - Mutating requests (anything but GET) go through a second session, each on a fresh
///   connection (`Connection: close`). corelibs-foundation hangs until the timeout, spinning a
///   core, when a server closes a *reused* keep-alive connection without answering; on a fresh
///   connection the lost answer is reported at once, so "outcome unknown" comes without delay.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession
    private let mutatingSession: URLSession
    private let delegate: SessionDelegate

    /// - Parameter maximumConnectionsPerHost: keep-alive connections the session may open to the
    ///   server; at least the largest parallelism the client will use.
    public init(insecure: Bool = false, maximumConnectionsPerHost: Int = 32) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        configuration.httpMaximumConnectionsPerHost = max(1, maximumConnectionsPerHost)
        delegate = SessionDelegate(insecure: insecure)
        let queue = OperationQueue()
        queue.name = "evoform.urlsession"
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        mutatingSession = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
    }

    deinit {
        // A session holds its delegate until invalidated; let running tasks finish first.
        session.finishTasksAndInvalidate()
        mutatingSession.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = TimeInterval(request.timeoutSeconds)
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = body }
        let mutating = request.method != "GET"
        if mutating { urlRequest.setValue("close", forHTTPHeaderField: "Connection") }
        let session = mutating ? mutatingSession : self.session

        let delegate = self.delegate
        let outcome: Result<HTTPResponse, TransportFailure> = await withCheckedContinuation { continuation in
            // The completion handler cannot name its own task; it reads the identifier, set
            // before `resume()`, from a box.
            let box = TaskIdentifierBox()
            let task = session.dataTask(with: urlRequest) { data, response, error in
                continuation.resume(
                    returning: URLSessionTransport.outcome(
                        data: data, response: response, error: error,
                        challenged: delegate.takeChallenge(box.identifier)))
            }
            box.identifier = task.taskIdentifier
            task.resume()
        }
        return try outcome.get()
    }

    static func outcome(data: Data?, response: URLResponse?, error: (any Error)?, challenged: Bool) -> Result<
        HTTPResponse, TransportFailure
    > {
        if challenged {
            return .success(HTTPResponse(status: 401, headers: [:], body: Data()))
        }
        if let error {
            return .failure(classify(error))
        }
        guard let http = response as? HTTPURLResponse else {
            return .failure(TransportFailure(kind: .other, detail: "the answer was not an HTTP response"))
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return .success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
    }

    /// Maps a URLSession error to the few kinds a user can act on.
    static func classify(_ error: any Error) -> TransportFailure {
        let nsError = error as NSError
        let detail = nsError.localizedDescription
        guard nsError.domain == NSURLErrorDomain else { return TransportFailure(kind: .other, detail: detail) }
        switch nsError.code {
        case NSURLErrorTimedOut:
            return TransportFailure(kind: .timeout, detail: detail)
        case NSURLErrorCannotConnectToHost:
            return TransportFailure(kind: .refused, detail: detail)
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed:
            return TransportFailure(kind: .dns, detail: detail)
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateHasBadDate,
            NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasUnknownRoot,
            NSURLErrorServerCertificateNotYetValid, NSURLErrorClientCertificateRejected,
            NSURLErrorClientCertificateRequired:
            return TransportFailure(kind: .tls, detail: detail)
        case NSURLErrorNetworkConnectionLost, NSURLErrorBadServerResponse, NSURLErrorCannotParseResponse,
            NSURLErrorZeroByteResource:
            return TransportFailure(kind: .connectionLost, detail: detail)
        default:
            // corelibs-foundation reports most libcurl failures as "unknown" with curl's text.
            let text = detail.lowercased()
            if text.contains("ssl") || text.contains("certificate") || text.contains("tls") {
                return TransportFailure(kind: .tls, detail: detail)
            }
            if text.contains("resolve") {
                return TransportFailure(kind: .dns, detail: detail)
            }
            if text.contains("connection refused") || text.contains("couldn't connect") {
                return TransportFailure(kind: .refused, detail: detail)
            }
            return TransportFailure(kind: .other, detail: detail)
        }
    }
}

/// Holds a task identifier across the completion handler and the creating code.
private final class TaskIdentifierBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?

    var identifier: Int? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// Cancels HTTP authentication challenges (remembering which task had one, so the transport can
/// report a 401) and, only when asked, trusts any server certificate.
private final class SessionDelegate: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    let insecure: Bool
    private let lock = NSLock()
    private var challengedTasks: Set<Int> = []

    init(insecure: Bool) {
        self.insecure = insecure
    }

    /// Whether the task's request was answered by an authentication challenge (consumes the mark).
    func takeChallenge(_ identifier: Int?) -> Bool {
        guard let identifier else { return false }
        return lock.withLock { challengedTasks.remove(identifier) != nil }
    }

    func urlSession(
        _ session: URLSession, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @Sendable @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        if let credential = trustCredential(for: challenge) {
            completionHandler(.useCredential, credential)
        } else {
            completionHandler(.performDefaultHandling, nil)
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @Sendable @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        if Self.isServerTrust(challenge) {
            if let credential = trustCredential(for: challenge) {
                completionHandler(.useCredential, credential)
            } else {
                completionHandler(.performDefaultHandling, nil)
            }
            return
        }
        let identifier = task.taskIdentifier
        lock.withLock { _ = challengedTasks.insert(identifier) }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    private static func isServerTrust(_ challenge: URLAuthenticationChallenge) -> Bool {
        #if canImport(Security)
            return challenge.protectionSpace.authenticationMethod == NSURLAuthenticationMethodServerTrust
        #else
            // corelibs-foundation verifies certificates inside libcurl and never asks.
            return false
        #endif
    }

    private func trustCredential(for challenge: URLAuthenticationChallenge) -> URLCredential? {
        #if canImport(Security)
            if insecure, Self.isServerTrust(challenge), let trust = challenge.protectionSpace.serverTrust {
                return URLCredential(trust: trust)
            }
        #endif
        return nil
    }
}
#endif
