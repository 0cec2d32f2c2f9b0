/// How `SocketHTTPTransport` checks an https server's certificate.
public enum TLSVerification: Sendable, Hashable {
    /// Any certificate is accepted (`--insecure`): the connection is encrypted but the server is
    /// not authenticated.
    case acceptAnyCertificate
    /// The chain must end at a certificate authority in this PEM file (`--ca-file`), and the
    /// certificate must name the host (DNS name or IP address) of the URL.
    case certificateAuthorities(file: String)
    /// The chain must end at a certificate authority of the system's trust store (OpenSSL's
    /// default CA file and directory, or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set), and the
    /// certificate must name the host of the URL: the default for `https`.
    case systemTrustStore

    /// Whether the server's certificate is checked at all.
    public var verifiesCertificate: Bool { self != .acceptAnyCertificate }
}
