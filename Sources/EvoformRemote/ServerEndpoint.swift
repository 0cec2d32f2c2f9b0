import EvoformCore
import Foundation

/// Where the Evolution API is and how to talk to it.
public struct ServerEndpoint: Sendable {
    /// The base URL, e.g. `http://127.0.0.1:8080` (a path prefix such as `/evolution` is kept).
    public var url: URL
    /// The global API key, sent in the `apikey` header.
    public var apiKey: Secret
    /// `auto` asks `GET /` once; `v1`/`v2` force the dialect.
    public var version: APIVersionChoice
    /// Per-request timeout in whole seconds.
    public var timeoutSeconds: Int
    /// Accept any TLS certificate (Darwin: a URLSession delegate; Linux: the socket transport's
    /// own TLS; see the module README).
    public var insecure: Bool
    /// Verify https against the CA certificates in this PEM file instead of the system's (Linux,
    /// through the socket transport's own TLS). `insecure` wins over it.
    public var caFile: String?
    public var retry: RetryPolicy

    public init(
        url: URL, apiKey: Secret, version: APIVersionChoice = .auto, timeoutSeconds: Int = 30,
        insecure: Bool = false, caFile: String? = nil, retry: RetryPolicy = .standard
    ) {
        self.url = url
        self.apiKey = apiKey
        self.version = version
        self.timeoutSeconds = max(1, timeoutSeconds)
        self.insecure = insecure
        self.caFile = caFile
        self.retry = retry
    }

    /// The server as errors name it: scheme, host, port and path, never user info or query.
    public var displayURL: String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "(server)" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        var text = components.string ?? "(server)"
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
