import EvoformCore

/// Which request an error is about: the server, the endpoint (method + path template), the
/// instance and the status, so every message can name them.
public struct RequestContext: Sendable, Hashable {
    /// The server's base URL, without user info or query.
    public var server: String
    public var endpoint: Endpoint
    public var instance: InstanceName?
    /// The HTTP status of the last attempt, when a response arrived.
    public var status: Int?
    /// How many attempts were made.
    public var attempts: Int

    public init(server: String, endpoint: Endpoint, instance: InstanceName?, status: Int? = nil, attempts: Int = 1) {
        self.server = server
        self.endpoint = endpoint
        self.instance = instance
        self.status = status
        self.attempts = attempts
    }
}

/// Everything that can go wrong talking to the Evolution API, each case with a message a user
/// can act on. Messages name the instance, the endpoint, the status and the server's own
/// messages; never a secret (the API key and every secret sent are masked out of server text).
public enum RemoteError: UserFacingError, Sendable, Hashable {
    /// 401 (or 403 other than "name in use"): the API key is wrong or not the global key.
    case unauthorized(RequestContext, messages: [String])
    /// 404: the instance (or the route) does not exist.
    case notFound(RequestContext, messages: [String])
    /// 403 "This name ... is already in use."
    case nameInUse(RequestContext, messages: [String])
    /// 400-class: the server rejected what was sent (or evoform refused to send an incomplete
    /// configuration), with the server's messages.
    case validation(RequestContext, messages: [String])
    /// 5xx or another unexpected status, after any retries.
    case server(RequestContext, messages: [String])
    /// No response: timeout, refused, DNS, connection lost (a TLS failure from the client is
    /// `tlsHandshake`, which carries its reason).
    case transport(RequestContext, kind: TransportFailureKind, timeoutSeconds: Int)
    /// The TLS handshake failed, so nothing was sent; `reason` is the TLS library's (a
    /// certificate problem, a server answering plain HTTP), never a header or a secret.
    case tlsHandshake(RequestContext, reason: String)
    /// A proxy refused the request or the tunnel, asked for credentials, or could not be
    /// reached, so nothing reached the server; `reason` names the proxy, never its credentials.
    case proxy(RequestContext, reason: String)
    /// A mutating request whose response was lost: it may or may not have been applied. The
    /// caller must look at the server before sending it again.
    case outcomeUnknown(RequestContext, cause: TransportFailureKind)
    /// A response that does not have the shape this API version gives.
    case unexpectedResponse(RequestContext, detail: String)
    /// The server still lists an instance after it was deleted and the wait ran out.
    case deletionTimedOut(RequestContext, seconds: Int)

    public var context: RequestContext {
        switch self {
        case .unauthorized(let context, _), .notFound(let context, _), .nameInUse(let context, _),
            .validation(let context, _), .server(let context, _), .transport(let context, _, _),
            .tlsHandshake(let context, _), .proxy(let context, _), .outcomeUnknown(let context, _), .unexpectedResponse(let context, _), .deletionTimedOut(let context, _):
            context
        }
    }

    /// The server's messages (already masked), if it gave any.
    public var messages: [String] {
        switch self {
        case .unauthorized(_, let messages), .notFound(_, let messages), .nameInUse(_, let messages),
            .validation(_, let messages), .server(_, let messages):
            messages
        case .transport, .tlsHandshake, .proxy, .outcomeUnknown, .unexpectedResponse, .deletionTimedOut:
            []
        }
    }

    public var isNotFound: Bool {
        if case .notFound = self { return true }
        return false
    }

    public var isOutcomeUnknown: Bool {
        if case .outcomeUnknown = self { return true }
        return false
    }

    public var isUnauthorized: Bool {
        if case .unauthorized = self { return true }
        return false
    }

    public var userMessage: String {
        let context = self.context
        let call = context.endpoint.description
        let subject = context.instance.map { " for instance \"\($0)\"" } ?? ""
        let status = context.status.map { " \($0)" } ?? ""
        let said = RemoteError.quote(messages)
        let attempts = context.attempts > 1 ? " after \(context.attempts) attempts" : ""
        switch self {
        case .unauthorized:
            let extra = messages.filter { $0 != "Unauthorized" && $0 != "Forbidden" }
            return "the Evolution API at \(context.server) refused the API key (\(call)\(subject) answered\(status))"
                + RemoteError.quote(extra)
                + ". Check EVOLUTION_API_KEY (or --api-key, or server.apiKey in the manifest): it must be the server's "
                + "global key (AUTHENTICATION_API_KEY), not an instance token."
        case .notFound:
            if let instance = context.instance {
                return "instance \"\(instance)\" does not exist on \(context.server) (\(call) answered\(status))\(said)."
            }
            return "\(context.server) answered\(status) to \(call)\(said). Is the URL the Evolution API's base URL, "
                + "and is apiVersion right for this server?"
        case .nameInUse:
            let name = context.instance.map { "\"\($0)\"" } ?? "the name"
            return "the name \(name) is already in use on \(context.server) (\(call) answered\(status))\(said). "
                + "If evoform should manage that instance, run 'evoform import \(context.instance?.rawValue ?? "NAME")'; "
                + "if it was deleted a moment ago, the server may still be removing it: try again shortly."
        case .validation:
            var text = "\(context.server) rejected \(call)\(subject) (\(context.status.map(String.init) ?? "not sent"))\(said)."
            if messages.contains(where: { $0.contains("Chatwoot is disabled") || $0.contains("Chatwoot is not enabled") }) {
                text += " Chatwoot is switched off on this server: set CHATWOOT_ENABLED=true there, or remove the "
                    + "Chatwoot fields from the manifest."
            } else if context.status != nil {
                text += " Check the manifest values for this instance against the server's version."
            }
            return text
        case .server:
            var text = "\(context.server) failed on \(call)\(subject) (status\(status)\(attempts))\(said)."
            if context.endpoint == .create {
                text += " The instance may exist half-created: run 'evoform plan' to look before creating it again."
            } else if context.status.map({ $0 >= 500 }) == true {
                text += " The server may be overloaded or failing: check its logs, then try again."
            }
            return text
        case .transport(_, let kind, let timeout):
            let suffix = " (\(call)\(subject)\(attempts))"
            switch kind {
            case .timeout:
                return "no answer from the Evolution API at \(context.server) within \(timeout) s\(suffix). "
                    + "Check that the server is up and reachable, or raise --timeout."
            case .refused:
                return "cannot connect to the Evolution API at \(context.server): connection refused\(suffix). "
                    + "Is the server running, and are the host and port right?"
            case .dns:
                return "cannot resolve the host of \(context.server)\(suffix). "
                    + "Check the server URL (EVOLUTION_API_URL, --server or server.url)."
            case .tls:
                return "the TLS handshake with \(context.server) failed\(suffix). \(Self.tlsAdvice)"
            case .connectionLost:
                return "the connection to \(context.server) closed before an answer arrived\(suffix). "
                    + "Check the server and any proxy in front of it, then try again."
            case .proxy:
                return "cannot reach \(context.server) through the proxy\(suffix). "
                    + "Check the proxy variables (https_proxy, http_proxy, all_proxy, no_proxy)."
            case .other:
                return "the request to \(context.server) failed without an answer\(suffix). "
                    + "Check the server URL and the network, then try again."
            }
        case .tlsHandshake(_, let reason):
            let because = reason.isEmpty ? "" : ": \(reason)"
            return "the TLS handshake with \(context.server) failed (\(call)\(subject)\(attempts))\(because). \(Self.tlsAdvice)"
        case .proxy(_, let reason):
            return "cannot reach \(context.server) through the proxy (\(call)\(subject)\(attempts)): \(reason). "
                + "Check the proxy variables (https_proxy, http_proxy, all_proxy, no_proxy)."
        case .outcomeUnknown(_, let cause):
            let why = cause == .timeout ? "no answer arrived in time" : "the connection closed before the answer"
            return "the answer to \(call)\(subject) on \(context.server) was lost (\(why)\(attempts)): the server may "
                + "or may not have applied it. Run 'evoform plan', which looks at the server first, before trying again."
        case .unexpectedResponse(_, let detail):
            return "\(context.server) gave an unexpected answer to \(call)\(subject)"
                + (context.status.map { " (status \($0))" } ?? "") + ": \(detail). "
                + "Is this an Evolution API server, and is apiVersion right for it?"
        case .deletionTimedOut(_, let seconds):
            let name = context.instance.map { "\"\($0)\"" } ?? "the instance"
            return "\(context.server) still lists \(name) \(seconds) s after deleting it, so its name is not free yet. "
                + "The server removes instances in the background (a webhook it must notify may be slow): "
                + "wait and run 'evoform apply' again."
        }
    }

    private static let tlsAdvice =
        "Check the server's certificate and name: trust its CA in the system store or pass --ca-file with it, "
        + "or --insecure to skip verification for testing (or use http:// for a local server)."

    private static func quote(_ messages: [String]) -> String {
        guard !messages.isEmpty else { return "" }
        return ": " + messages.joined(separator: "; ")
    }
}
