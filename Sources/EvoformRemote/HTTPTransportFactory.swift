import Foundation

/// Chooses the transport for a server, on Linux:
/// - plain `http`: `SocketHTTPTransport` (a few system calls per request), unless a proxy is
///   configured in the environment (libcurl honours it; the socket transport does not) or
///   `EVOFORM_HTTP_TRANSPORT=urlsession` asks for URLSession;
/// - `https` with `insecure`: `SocketHTTPTransport` with OpenSSL and no certificate check,
///   because corelibs-foundation's URLSession cannot turn verification off;
/// - `https` with a `caFile`: `SocketHTTPTransport` verifying against that file and the host name;
/// - other `https`: `URLSessionTransport` (the system's trust store, through libcurl).
/// Elsewhere always `URLSessionTransport`.
public enum HTTPTransportFactory {
    /// The variable that forces `URLSessionTransport` (`urlsession`) for plain-http URLs.
    public static let overrideVariable = "EVOFORM_HTTP_TRANSPORT"

    public static func transport(
        for endpoint: ServerEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> any HTTPTransport {
        #if os(Linux)
            if let verification = socketTLSVerification(for: endpoint) { return SocketHTTPTransport(tls: verification) }
        #endif
        if usesSockets(endpoint.url, environment: environment) { return SocketHTTPTransport() }
        return URLSessionTransport(insecure: endpoint.insecure)
    }

    /// Whether plain-http requests to `url` go through `SocketHTTPTransport`.
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

    /// The TLS setting with which `SocketHTTPTransport` serves this endpoint (Linux): for an
    /// `https` URL with `insecure`, accepting any certificate (it wins, as curl's `-k` does); with
    /// a `caFile`, verifying against it. Nil: URLSession handles it.
    public static func socketTLSVerification(for endpoint: ServerEndpoint) -> TLSVerification? {
        #if os(Linux)
            guard endpoint.url.scheme?.lowercased() == "https" else { return nil }
            if endpoint.insecure { return .acceptAnyCertificate }
            return endpoint.caFile.map { .certificateAuthorities(file: $0) }
        #else
            return nil
        #endif
    }

    /// Why this endpoint's TLS settings cannot be honoured here, as a sentence for the user, or
    /// nil when they can. Checked before any request, so that a run never says "verification is
    /// off" while verifying, nor silently bypasses a proxy.
    public static func tlsSettingsProblem(
        for endpoint: ServerEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        #if os(Linux)
            guard let verification = socketTLSVerification(for: endpoint) else { return nil }
            let setting = verification == .acceptAnyCertificate ? "--insecure (server.insecure)" : "--ca-file (server.caFile)"
            let proxyVariables = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
            if let proxy = proxyVariables.first(where: { !(environment[$0] ?? "").isEmpty }) {
                return "\(setting) connects to the server directly and cannot go through the proxy "
                    + "set in \(proxy); unset it for this run, or trust the server's CA in the system store instead"
            }
            do throws(TransportFailure) {
                _ = try TLSClientContext(verification: verification)
            } catch {
                return "\(setting) cannot be used: \(error.detail)"
            }
            return nil
        #else
            if endpoint.caFile != nil, !endpoint.insecure, endpoint.url.scheme?.lowercased() == "https" {
                return "--ca-file (server.caFile) is only supported on Linux; trust the CA in the system's keychain instead"
            }
            return nil
        #endif
    }
}
