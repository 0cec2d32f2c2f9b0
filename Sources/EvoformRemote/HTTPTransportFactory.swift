import Foundation

#if os(Linux)
    import SystemOpenSSL
#endif

/// Chooses the transport for a server, on Linux:
/// - plain `http`: `SocketHTTPTransport` (a few system calls per request), unless a proxy is
///   configured in the environment (libcurl honours it; the socket transport does not) or
///   `EVOFORM_HTTP_TRANSPORT=urlsession` asks for URLSession;
/// - `https` with `insecure`: `SocketHTTPTransport` with OpenSSL and no certificate check,
///   because corelibs-foundation's URLSession cannot turn verification off;
/// - `https` with a `caFile`: `SocketHTTPTransport` verifying against that file and the host name;
/// - other `https`: `SocketHTTPTransport` verifying against the system's trust store and the host
///   name, unless a proxy for https is configured or `EVOFORM_HTTP_TRANSPORT=urlsession` asks for
///   URLSession: then `URLSessionTransport` (libcurl, the same trust store).
/// Elsewhere always `URLSessionTransport`.
public enum HTTPTransportFactory {
    /// The variable that forces `URLSessionTransport` (`urlsession`) for plain-http URLs and for
    /// https verified against the system's trust store.
    public static let overrideVariable = "EVOFORM_HTTP_TRANSPORT"

    public static func transport(
        for endpoint: ServerEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> any HTTPTransport {
        #if os(Linux)
            if let verification = socketTLSVerification(for: endpoint, environment: environment) {
                return SocketHTTPTransport(tls: verification)
            }
        #endif
        if usesSockets(endpoint.url, environment: environment) { return SocketHTTPTransport() }
        return URLSessionTransport(insecure: endpoint.insecure)
    }

    /// Whether plain-http requests to `url` go through `SocketHTTPTransport`.
    public static func usesSockets(_ url: URL, environment: [String: String]) -> Bool {
        #if os(Linux)
            guard url.scheme?.lowercased() == "http" else { return false }
            if prefersURLSession(environment) { return false }
            return proxyVariable(forScheme: "http", environment: environment) == nil
        #else
            return false
        #endif
    }

    /// The TLS setting with which `SocketHTTPTransport` serves this endpoint (Linux), for an
    /// `https` URL: with `insecure`, accepting any certificate (it wins, as curl's `-k` does);
    /// with a `caFile`, verifying against it; otherwise verifying against the system's trust
    /// store, unless a proxy for https is set or `EVOFORM_HTTP_TRANSPORT=urlsession`. Nil:
    /// URLSession handles it.
    public static func socketTLSVerification(
        for endpoint: ServerEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> TLSVerification? {
        #if os(Linux)
            guard endpoint.url.scheme?.lowercased() == "https" else { return nil }
            if endpoint.insecure { return .acceptAnyCertificate }
            if let file = endpoint.caFile { return .certificateAuthorities(file: file) }
            if prefersURLSession(environment) || proxyVariable(forScheme: "https", environment: environment) != nil {
                return nil
            }
            return .systemTrustStore
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
            guard let verification = socketTLSVerification(for: endpoint, environment: environment) else { return nil }
            let setting: String
            switch verification {
            case .acceptAnyCertificate: setting = "--insecure (server.insecure)"
            case .certificateAuthorities: setting = "--ca-file (server.caFile)"
            case .systemTrustStore:
                // The default path: only OpenSSL itself can be missing (a missing or empty store
                // makes every handshake fail, with that reason). The store is read once, by the
                // transport.
                guard case .failure(let unavailable) = OpenSSLLibrary.shared else { return nil }
                return "https cannot be used: \(unavailable.reason); "
                    + "or set \(overrideVariable)=urlsession to verify through libcurl instead"
            }
            if let proxy = proxyVariable(forScheme: "https", environment: environment) {
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

    /// Whether `EVOFORM_HTTP_TRANSPORT=urlsession` asks for URLSession.
    static func prefersURLSession(_ environment: [String: String]) -> Bool {
        environment[overrideVariable]?.lowercased() == "urlsession"
    }

    /// The first non-empty proxy variable libcurl would use for a URL of this scheme (`http` or
    /// `https`), or nil.
    static func proxyVariable(forScheme scheme: String, environment: [String: String]) -> String? {
        let variables = ["\(scheme)_proxy", "\(scheme.uppercased())_PROXY", "all_proxy", "ALL_PROXY"]
        return variables.first { !(environment[$0] ?? "").isEmpty }
    }
}
