import Foundation

#if os(Linux)
    import SystemOpenSSL
#endif

/// Chooses the transport for a server. On Linux always `SocketHTTPTransport` (a few system
/// calls per request; no URLSession, libcurl or FoundationNetworking is linked there):
/// - `https` is verified against the system's trust store and the host name by default, against
///   a `caFile` when one is given, or not at all with `insecure` (which wins, as curl's `-k` does);
/// - the proxies of the environment (`ProxyConfiguration`) are honoured for both schemes.
/// Elsewhere `URLSessionTransport`.
public enum HTTPTransportFactory {
    public static func transport(
        for endpoint: ServerEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> any HTTPTransport {
        #if os(Linux)
            return SocketHTTPTransport(
                maximumIdle: .seconds(2), tls: socketTLSVerification(for: endpoint), proxies: ProxyConfiguration.from(environment))
        #else
            return URLSessionTransport(insecure: endpoint.insecure)
        #endif
    }

    /// How `SocketHTTPTransport` verifies this endpoint (Linux), for an `https` URL: with
    /// `insecure`, accepting any certificate; with a `caFile`, against it; otherwise against the
    /// system's trust store. Nil for `http` (and on other platforms).
    public static func socketTLSVerification(for endpoint: ServerEndpoint) -> TLSVerification? {
        #if os(Linux)
            guard endpoint.url.scheme?.lowercased() == "https" else { return nil }
            if endpoint.insecure { return .acceptAnyCertificate }
            if let file = endpoint.caFile { return .certificateAuthorities(file: file) }
            return .systemTrustStore
        #else
            return nil
        #endif
    }

    /// Why requests to this endpoint cannot be sent as configured, as a sentence for the user,
    /// or nil when they can: the proxy variable that applies to it cannot be used, OpenSSL is
    /// missing, the CA file is unreadable. Checked before any request.
    public static func connectionSettingsProblem(
        for endpoint: ServerEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        #if os(Linux)
            do throws(ProxyConfigurationError) {
                _ = try ProxyConfiguration.from(environment).proxy(for: endpoint.url)
            } catch {
                return error.message
            }
            guard let verification = socketTLSVerification(for: endpoint) else { return nil }
            let setting: String
            switch verification {
            case .acceptAnyCertificate: setting = "--insecure (server.insecure)"
            case .certificateAuthorities: setting = "--ca-file (server.caFile)"
            case .systemTrustStore:
                // The default path: only OpenSSL itself can be missing (a missing or empty store
                // makes every handshake fail, with that reason). The store is read once, by the
                // transport.
                guard case .failure(let unavailable) = OpenSSLLibrary.shared else { return nil }
                return "https cannot be used: \(unavailable.reason)"
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
