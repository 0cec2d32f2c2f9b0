/// How `SocketHTTPTransport` checks an https server's certificate.
public enum TLSVerification: Sendable, Hashable {
    /// Any certificate is accepted (`--insecure`): the connection is encrypted but the server is
    /// not authenticated.
    case acceptAnyCertificate
    /// The chain must end at a certificate authority in this PEM file (`--ca-file`), and the
    /// certificate must name the host (DNS name or IP address) of the URL.
    case certificateAuthorities(file: String)
}
