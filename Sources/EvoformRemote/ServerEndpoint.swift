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
    /// Accept any TLS certificate (only where the platform's URLSession lets a delegate decide;
    /// see the module README).
    public var insecure: Bool
    public var retry: RetryPolicy

    public init(
        url: URL, apiKey: Secret, version: APIVersionChoice = .auto, timeoutSeconds: Int = 30,
        insecure: Bool = false, retry: RetryPolicy = .standard
    ) {
        self.url = url
        self.apiKey = apiKey
        self.version = version
        self.timeoutSeconds = max(1, timeoutSeconds)
        self.insecure = insecure
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
