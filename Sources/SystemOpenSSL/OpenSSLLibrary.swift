#if os(Linux)
    import Glibc

    /// The system's OpenSSL, loaded at run time with `dlopen` (no build-time dependency): the few
    /// non-variadic functions evoform's TLS client and the simulator's TLS server need, resolved
    /// once per process.
    ///
    /// libssl.so.3 is on every current distribution (libcurl, ssh, Python link it); 1.1 has every
    /// function used here too. Connections use memory BIOs, so OpenSSL never touches
    /// a socket: evoform does the socket I/O itself (`send` with `MSG_NOSIGNAL`, `poll` with a
    /// deadline). Functions from libcrypto (`BIO_*`, `ERR_*`, `X509_*`) are found through libssl's
    /// own dependency on it.
    public struct OpenSSLLibrary: @unchecked Sendable {
        /// The library, or why it could not be loaded; resolved on first use, thread-safely.
        public static let shared: Result<OpenSSLLibrary, OpenSSLUnavailable> = load()

        /// The names tried, in order.
        public static let candidates = ["libssl.so.3", "libssl.so.1.1", "libssl.so"]

        /// The file that was loaded, e.g. `libssl.so.3`.
        public let fileName: String

        // libssl
        public let TLS_client_method: @convention(c) () -> OpaquePointer?
        public let TLS_server_method: @convention(c) () -> OpaquePointer?
        public let SSL_CTX_new: @convention(c) (OpaquePointer?) -> OpaquePointer?
        public let SSL_CTX_free: @convention(c) (OpaquePointer?) -> Void
        /// The callback argument is always nil here.
        public let SSL_CTX_set_verify: @convention(c) (OpaquePointer?, Int32, OpaquePointer?) -> Void
        public let SSL_CTX_load_verify_locations: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
        /// The system's trust store: OpenSSL's default CA file and directory, or `SSL_CERT_FILE` /
        /// `SSL_CERT_DIR` when set (read from the environment when this runs).
        public let SSL_CTX_set_default_verify_paths: @convention(c) (OpaquePointer?) -> Int32
        public let SSL_CTX_use_certificate_chain_file: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
        public let SSL_CTX_use_PrivateKey_file: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32
        public let SSL_CTX_check_private_key: @convention(c) (OpaquePointer?) -> Int32
        public let SSL_CTX_ctrl: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
        public let SSL_new: @convention(c) (OpaquePointer?) -> OpaquePointer?
        public let SSL_free: @convention(c) (OpaquePointer?) -> Void
        public let SSL_set_bio: @convention(c) (OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Void
        public let SSL_set_connect_state: @convention(c) (OpaquePointer?) -> Void
        public let SSL_set_accept_state: @convention(c) (OpaquePointer?) -> Void
        public let SSL_do_handshake: @convention(c) (OpaquePointer?) -> Int32
        public let SSL_read: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32) -> Int32
        public let SSL_write: @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int32) -> Int32
        public let SSL_get_error: @convention(c) (OpaquePointer?, Int32) -> Int32
        public let SSL_shutdown: @convention(c) (OpaquePointer?) -> Int32
        public let SSL_ctrl: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
        public let SSL_set1_host: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
        public let SSL_get0_param: @convention(c) (OpaquePointer?) -> OpaquePointer?
        public let SSL_get_verify_result: @convention(c) (OpaquePointer?) -> Int
        // libcrypto
        public let BIO_s_mem: @convention(c) () -> OpaquePointer?
        public let BIO_new: @convention(c) (OpaquePointer?) -> OpaquePointer?
        public let BIO_free: @convention(c) (OpaquePointer?) -> Int32
        public let BIO_read: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32) -> Int32
        public let BIO_write: @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int32) -> Int32
        public let BIO_ctrl_pending: @convention(c) (OpaquePointer?) -> Int
        public let ERR_get_error: @convention(c) () -> UInt
        public let ERR_clear_error: @convention(c) () -> Void
        public let ERR_error_string_n: @convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void
        public let X509_verify_cert_error_string: @convention(c) (Int) -> UnsafePointer<CChar>?
        public let X509_VERIFY_PARAM_set1_ip_asc: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
        /// The system's hashed CA directory, e.g. `/usr/lib/ssl/certs`.
        public let X509_get_default_cert_dir: @convention(c) () -> UnsafePointer<CChar>?
        /// The variables that replace the default CA directory and file: `SSL_CERT_DIR`, `SSL_CERT_FILE`.
        public let X509_get_default_cert_dir_env: @convention(c) () -> UnsafePointer<CChar>?
        public let X509_get_default_cert_file_env: @convention(c) () -> UnsafePointer<CChar>?

        // Constants from <openssl/ssl.h> and <openssl/tls1.h>; stable across 1.1 and 3.
        public static let SSL_ERROR_SSL: Int32 = 1
        public static let SSL_ERROR_WANT_READ: Int32 = 2
        public static let SSL_ERROR_WANT_WRITE: Int32 = 3
        public static let SSL_ERROR_SYSCALL: Int32 = 5
        public static let SSL_ERROR_ZERO_RETURN: Int32 = 6
        public static let SSL_VERIFY_NONE: Int32 = 0
        public static let SSL_VERIFY_PEER: Int32 = 1
        public static let SSL_CTRL_SET_TLSEXT_HOSTNAME: Int32 = 55
        public static let TLSEXT_NAMETYPE_host_name = 0
        public static let SSL_CTRL_SET_MIN_PROTO_VERSION: Int32 = 123
        public static let TLS1_2_VERSION = 0x0303
        public static let SSL_FILETYPE_PEM: Int32 = 1

        /// The text of every error queued on this thread (oldest first), emptying the queue:
        /// OpenSSL's reason strings, e.g. `wrong version number`.
        public func drainErrorReasons() -> [String] {
            var reasons: [String] = []
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let code = ERR_get_error()
                if code == 0 { break }
                buffer.withUnsafeMutableBufferPointer { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { ERR_error_string_n(code, $0.baseAddress, $0.count) }
                }
                let text = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
                // "error:0A00010B:SSL routines::wrong version number" (3) or
                // "error:1408F10B:SSL routines:ssl3_get_record:wrong version number" (1.1).
                let reason = text.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? text
                if !reason.isEmpty && !reasons.contains(reason) { reasons.append(reason) }
            }
            return reasons
        }

        /// `drainErrorReasons()` as one line; "no reason given" when OpenSSL queued none.
        public func drainErrorText() -> String {
            let reasons = drainErrorReasons()
            return reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
        }

        private static func load() -> Result<OpenSSLLibrary, OpenSSLUnavailable> {
            var failures: [String] = []
            for name in candidates {
                guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                    failures.append(dlerror().map { String(cString: $0) } ?? "\(name): not found")
                    continue
                }
                do throws(OpenSSLUnavailable) {
                    return .success(try OpenSSLLibrary(handle: handle, fileName: name))
                } catch {
                    // An old or partial library: try the next name. The handle stays open (it is
                    // cheap, and closing a library other code may use is not safe).
                    failures.append(error.reason)
                }
            }
            return .failure(
                OpenSSLUnavailable(
                    reason: "the system's OpenSSL could not be loaded (tried \(candidates.joined(separator: ", ")): "
                        + failures.joined(separator: "; ")
                        + "); install OpenSSL 1.1 or 3 (e.g. apt-get install libssl3)"))
        }

        private init(handle: UnsafeMutableRawPointer, fileName: String) throws(OpenSSLUnavailable) {
            func symbol<Function>(_ name: String) throws(OpenSSLUnavailable) -> Function {
                guard let pointer = dlsym(handle, name) else {
                    throw OpenSSLUnavailable(reason: "\(fileName) has no \(name) (OpenSSL 1.1 or newer is needed)")
                }
                return unsafeBitCast(pointer, to: Function.self)
            }
            self.fileName = fileName
            TLS_client_method = try symbol("TLS_client_method")
            TLS_server_method = try symbol("TLS_server_method")
            SSL_CTX_use_certificate_chain_file = try symbol("SSL_CTX_use_certificate_chain_file")
            SSL_CTX_use_PrivateKey_file = try symbol("SSL_CTX_use_PrivateKey_file")
            SSL_CTX_check_private_key = try symbol("SSL_CTX_check_private_key")
            SSL_set_accept_state = try symbol("SSL_set_accept_state")
            SSL_CTX_new = try symbol("SSL_CTX_new")
            SSL_CTX_free = try symbol("SSL_CTX_free")
            SSL_CTX_set_verify = try symbol("SSL_CTX_set_verify")
            SSL_CTX_load_verify_locations = try symbol("SSL_CTX_load_verify_locations")
            SSL_CTX_set_default_verify_paths = try symbol("SSL_CTX_set_default_verify_paths")
            SSL_CTX_ctrl = try symbol("SSL_CTX_ctrl")
            SSL_new = try symbol("SSL_new")
            SSL_free = try symbol("SSL_free")
            SSL_set_bio = try symbol("SSL_set_bio")
            SSL_set_connect_state = try symbol("SSL_set_connect_state")
            SSL_do_handshake = try symbol("SSL_do_handshake")
            SSL_read = try symbol("SSL_read")
            SSL_write = try symbol("SSL_write")
            SSL_get_error = try symbol("SSL_get_error")
            SSL_shutdown = try symbol("SSL_shutdown")
            SSL_ctrl = try symbol("SSL_ctrl")
            SSL_set1_host = try symbol("SSL_set1_host")
            SSL_get0_param = try symbol("SSL_get0_param")
            SSL_get_verify_result = try symbol("SSL_get_verify_result")
            BIO_s_mem = try symbol("BIO_s_mem")
            BIO_new = try symbol("BIO_new")
            BIO_free = try symbol("BIO_free")
            BIO_read = try symbol("BIO_read")
            BIO_write = try symbol("BIO_write")
            BIO_ctrl_pending = try symbol("BIO_ctrl_pending")
            ERR_get_error = try symbol("ERR_get_error")
            ERR_clear_error = try symbol("ERR_clear_error")
            ERR_error_string_n = try symbol("ERR_error_string_n")
            X509_verify_cert_error_string = try symbol("X509_verify_cert_error_string")
            X509_VERIFY_PARAM_set1_ip_asc = try symbol("X509_VERIFY_PARAM_set1_ip_asc")
            X509_get_default_cert_dir = try symbol("X509_get_default_cert_dir")
            X509_get_default_cert_dir_env = try symbol("X509_get_default_cert_dir_env")
            X509_get_default_cert_file_env = try symbol("X509_get_default_cert_file_env")
        }
    }

    /// Why OpenSSL is not available on this machine.
    public struct OpenSSLUnavailable: Error, Sendable {
        public var reason: String
    }
#endif
