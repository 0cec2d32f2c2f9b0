#if os(Linux)
    import Glibc
    import SystemOpenSSL

    /// How the system's trust store is loaded into a client context.
    ///
    /// OpenSSL's defaults (`SSL_CTX_set_default_verify_paths`) parse the whole default CA file
    /// (`/etc/ssl/certs/ca-certificates.crt`, ~140 certificates) when the context is made: about
    /// 45 ms of CPU with OpenSSL 3, more than evoform's whole start-up. The hashed directory next to
    /// it (`<subject hash>.N` links, kept by `update-ca-certificates` from the same certificates)
    /// gives the same trust lazily: OpenSSL reads only the CA a chain needs, during the handshake.
    /// So the directory alone is used when it exists and is hashed, and nothing in the environment
    /// (`SSL_CERT_FILE`, `SSL_CERT_DIR`) asks for something else; otherwise OpenSSL's defaults,
    /// which honour those variables (distributions that keep only a bundle, e.g. Fedora's
    /// `/etc/pki/tls/certs`, take this path).
    enum SystemTrustStore: Equatable {
        /// `SSL_CTX_set_default_verify_paths`.
        case openSSLDefaults
        /// `SSL_CTX_load_verify_locations(nil, directory)`: a hashed directory, read lazily.
        case hashedDirectory(String)

        /// The choice for this process, from OpenSSL's own names for the variables and directory.
        static func current(_ library: OpenSSLLibrary) -> SystemTrustStore {
            func text(_ pointer: UnsafePointer<CChar>?) -> String? { pointer.map { String(cString: $0) } }
            let variables = [library.X509_get_default_cert_file_env(), library.X509_get_default_cert_dir_env()]
            let setVariables = variables.compactMap(text).filter { name in
                getenv(name).map { $0.pointee != 0 } ?? false
            }
            return choose(anyVariableSet: !setVariables.isEmpty, defaultDirectory: text(library.X509_get_default_cert_dir()))
        }

        static func choose(anyVariableSet: Bool, defaultDirectory: String?) -> SystemTrustStore {
            guard !anyVariableSet, let directory = defaultDirectory, isHashedDirectory(directory) else { return .openSSLDefaults }
            return .hashedDirectory(directory)
        }

        /// Whether `path` is a directory holding at least one `<8 hex digits>.<digits>` entry.
        static func isHashedDirectory(_ path: String) -> Bool {
            guard let directory = opendir(path) else { return false }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if isHashedName(name) { return true }
            }
            return false
        }

        static func isHashedName(_ name: String) -> Bool {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 8, !parts[1].isEmpty else { return false }
            return name.allSatisfy(\.isASCII) && parts[0].allSatisfy(\.isHexDigit) && parts[1].allSatisfy(\.isNumber)
        }
    }
#endif
