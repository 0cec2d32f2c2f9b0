import Foundation

/// One HTTP exchange as the client sees it. Implemented on sockets by `SocketHTTPTransport`
/// (Linux) and over `URLSession` by `URLSessionTransport` (elsewhere); a protocol so the retry
/// logic can be tested without a network.
public protocol HTTPTransport: Sendable {
    /// Sends one request and returns the response, whatever its status. Throws only when no
    /// response arrived. Never cancels a request once sent.
    func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse
}

/// A request ready to send. Never a GET with a body (Linux URLSession rejects it).
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header names as sent; secret values (the API key) travel only here.
    public var headers: [String: String]
    public var body: Data?
    public var timeoutSeconds: Int

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil, timeoutSeconds: Int) {
        precondition(!(method == "GET" && body != nil), "a GET never carries a body")
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

/// A response: status, headers (names lowercased) and body bytes.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why no response arrived.
public enum TransportFailureKind: String, Sendable, Hashable, CaseIterable {
    /// No answer within the timeout (the request may have reached the server).
    case timeout
    /// Nothing listens at that address and port (nothing was sent).
    case refused
    /// The host name does not resolve (nothing was sent).
    case dns
    /// The TLS handshake failed: certificate or protocol (nothing was sent).
    case tls
    /// The connection closed before the response was complete (the request may have been
    /// processed).
    case connectionLost
    /// A proxy refused, failed or asked for credentials before anything reached the server
    /// (the detail names the proxy).
    case proxy
    /// Anything else.
    case other

    /// Whether the server may have received, and acted on, the request.
    public var mayHaveReachedServer: Bool {
        switch self {
        case .refused, .dns, .tls, .proxy: false
        case .timeout, .connectionLost, .other: true
        }
    }
}

/// A request that got no response.
public struct TransportFailure: Error, Sendable, Hashable {
    public var kind: TransportFailureKind
    /// The platform's own wording, for traces. Never contains header values.
    public var detail: String

    public init(kind: TransportFailureKind, detail: String = "") {
        self.kind = kind
        self.detail = detail
    }
}

extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Method, URL and body size: never a header value (the API key) or the body (tokens).
    public var description: String {
        "\(method) \(url.absoluteString)" + (body.map { " (\($0.count) bytes)" } ?? "")
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "method": method, "url": url, "headers": headers.keys.sorted(), "bodyBytes": body?.count ?? 0,
                "timeoutSeconds": timeoutSeconds,
            ], displayStyle: .struct)
    }
}
