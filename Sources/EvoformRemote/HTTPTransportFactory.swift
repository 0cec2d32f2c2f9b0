import Foundation

/// Chooses the transport for a server: `SocketHTTPTransport` for plain `http` on Linux (a few
/// system calls per request), `URLSessionTransport` for `https`, on other platforms, when a
/// proxy is configured in the environment (libcurl honours it; the socket transport does not),
/// or when `EVOFORM_HTTP_TRANSPORT=urlsession` asks for it.
public enum HTTPTransportFactory {
    /// The variable that forces `URLSessionTransport` (`urlsession`) for every URL.
    public static let overrideVariable = "EVOFORM_HTTP_TRANSPORT"

    public static func transport(
        for endpoint: ServerEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> any HTTPTransport {
        if usesSockets(endpoint.url, environment: environment) { return SocketHTTPTransport() }
        return URLSessionTransport(insecure: endpoint.insecure)
    }

    /// Whether requests to `url` go through `SocketHTTPTransport`.
    public static func usesSockets(_ url: URL, environment: [String: String]) -> Bool {
        #if os(Linux)
            guard url.scheme?.lowercased() == "http" else { return false }
            if environment[overrideVariable]?.lowercased() == "urlsession" { return false }
            let proxyVariables = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
            return !proxyVariables.contains { !(environment[$0] ?? "").isEmpty }
        #else
            return false
        #endif
    }
}
