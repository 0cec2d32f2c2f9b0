#if os(Linux)
    import Glibc
    import SystemOpenSSL

    /// One OpenSSL client context (`SSL_CTX`): the verification rule and the trusted CAs (a CA
    /// file, or the system's trust store), loaded once per transport and shared by its
    /// connections (OpenSSL allows concurrent `SSL_new` on it).
    final class TLSClientContext: @unchecked Sendable {
        let library: OpenSSLLibrary
        let verification: TLSVerification
        private let context: OpaquePointer

        /// Loads OpenSSL (once per process) and prepares the context. A missing library or an
        /// unreadable CA file is a `.tls` failure whose detail says what is missing. (A missing
        /// or empty system store is not: OpenSSL then trusts nothing, and every handshake fails
        /// with "unable to get local issuer certificate", as curl's would.)
        ///
        /// - Parameter trustStore: how `.systemTrustStore` is loaded; nil: `SystemTrustStore.current`.
        init(verification: TLSVerification, trustStore: SystemTrustStore? = nil) throws(TransportFailure) {
            let library: OpenSSLLibrary
            switch OpenSSLLibrary.shared {
            case .success(let loaded): library = loaded
            case .failure(let unavailable): throw TransportFailure(kind: .tls, detail: unavailable.reason)
            }
            library.ERR_clear_error()
            guard let method = library.TLS_client_method(), let context = library.SSL_CTX_new(method) else {
                throw TransportFailure(
                    kind: .tls, detail: "OpenSSL could not create a TLS context: \(library.drainErrorText())")
            }
            _ = library.SSL_CTX_ctrl(
                context, OpenSSLLibrary.SSL_CTRL_SET_MIN_PROTO_VERSION, OpenSSLLibrary.TLS1_2_VERSION, nil)
            switch verification {
            case .acceptAnyCertificate:
                library.SSL_CTX_set_verify(context, OpenSSLLibrary.SSL_VERIFY_NONE, nil)
            case .certificateAuthorities(let file):
                guard library.SSL_CTX_load_verify_locations(context, file, nil) == 1 else {
                    let reason = library.drainErrorText()
                    library.SSL_CTX_free(context)
                    throw TransportFailure(
                        kind: .tls, detail: "cannot load the CA file \(file): \(reason) (it must hold PEM certificates)")
                }
                library.SSL_CTX_set_verify(context, OpenSSLLibrary.SSL_VERIFY_PEER, nil)
            case .systemTrustStore:
                let loaded: Int32
                switch trustStore ?? SystemTrustStore.current(library) {
                case .openSSLDefaults:
                    // Reads SSL_CERT_FILE / SSL_CERT_DIR now, and the default CA file (not the
                    // hashed directory, looked up per certificate) into the context.
                    loaded = library.SSL_CTX_set_default_verify_paths(context)
                case .hashedDirectory(let directory):
                    loaded = library.SSL_CTX_load_verify_locations(context, nil, directory)
                }
                guard loaded == 1 else {
                    let reason = library.drainErrorText()
                    library.SSL_CTX_free(context)
                    throw TransportFailure(kind: .tls, detail: "OpenSSL could not load the system's trust store: \(reason)")
                }
                library.SSL_CTX_set_verify(context, OpenSSLLibrary.SSL_VERIFY_PEER, nil)
            }
            self.library = library
            self.verification = verification
            self.context = context
        }

        deinit { library.SSL_CTX_free(context) }

        /// A client session for one connection to `host`: SNI for a DNS name, and with
        /// verification, the host name (or IP address) the certificate must carry.
        func session(host: String) throws(TransportFailure) -> TLSSession {
            library.ERR_clear_error()
            guard let ssl = library.SSL_new(context) else {
                throw TransportFailure(kind: .tls, detail: "OpenSSL could not start a session: \(library.drainErrorText())")
            }
            let isAddress = Self.isIPAddress(host)
            if !isAddress {
                _ = host.withCString { name in
                    library.SSL_ctrl(
                        ssl, OpenSSLLibrary.SSL_CTRL_SET_TLSEXT_HOSTNAME, OpenSSLLibrary.TLSEXT_NAMETYPE_host_name,
                        UnsafeMutableRawPointer(mutating: name))
                }
            }
            if verification.verifiesCertificate {
                let expected =
                    isAddress
                    ? library.X509_VERIFY_PARAM_set1_ip_asc(library.SSL_get0_param(ssl), host)
                    : library.SSL_set1_host(ssl, host)
                guard expected == 1 else {
                    library.SSL_free(ssl)
                    throw TransportFailure(kind: .tls, detail: "OpenSSL refused the host name \(host) for verification")
                }
            }
            guard let session = TLSSession(ssl: ssl, library: library, verifies: verification.verifiesCertificate) else {
                library.SSL_free(ssl)
                throw TransportFailure(kind: .tls, detail: "OpenSSL could not allocate memory buffers")
            }
            return session
        }

        static func isIPAddress(_ host: String) -> Bool {
            var v4 = in_addr()
            var v6 = in6_addr()
            return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
        }
    }
#endif
