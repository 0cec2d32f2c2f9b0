import Glibc

/// The accept side of the system's OpenSSL, loaded at run time with `dlopen`: only what serving
/// https needs. Deliberately separate from the client's binding in EvoformRemote (the simulator
/// shares no code with the client). Connections use memory BIOs: the poll loop does the socket
/// I/O, so OpenSSL never blocks the I/O thread nor raises SIGPIPE.
struct TLSServerLibrary: @unchecked Sendable {
    /// The library, or why it could not be loaded; resolved on first use, thread-safely.
    static let shared: Result<TLSServerLibrary, TLSServerFailure> = load()

    let TLS_server_method: @convention(c) () -> OpaquePointer?
    let SSL_CTX_new: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let SSL_CTX_free: @convention(c) (OpaquePointer?) -> Void
    let SSL_CTX_use_certificate_chain_file: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    let SSL_CTX_use_PrivateKey_file: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32
    let SSL_CTX_check_private_key: @convention(c) (OpaquePointer?) -> Int32
    let SSL_new: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let SSL_free: @convention(c) (OpaquePointer?) -> Void
    let SSL_set_bio: @convention(c) (OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Void
    let SSL_set_accept_state: @convention(c) (OpaquePointer?) -> Void
    let SSL_read: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    let SSL_write: @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int32) -> Int32
    let SSL_get_error: @convention(c) (OpaquePointer?, Int32) -> Int32
    let SSL_shutdown: @convention(c) (OpaquePointer?) -> Int32
    let BIO_s_mem: @convention(c) () -> OpaquePointer?
    let BIO_new: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let BIO_free: @convention(c) (OpaquePointer?) -> Int32
    let BIO_read: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    let BIO_write: @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int32) -> Int32
    let BIO_ctrl_pending: @convention(c) (OpaquePointer?) -> Int
    let ERR_get_error: @convention(c) () -> UInt
    let ERR_clear_error: @convention(c) () -> Void
    let ERR_error_string_n: @convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void

    static let SSL_ERROR_WANT_READ: Int32 = 2
    static let SSL_ERROR_WANT_WRITE: Int32 = 3
    static let SSL_ERROR_ZERO_RETURN: Int32 = 6
    static let SSL_FILETYPE_PEM: Int32 = 1

    /// OpenSSL's queued error reasons on this thread (e.g. `no such file`), emptying the queue.
    func drainErrorReasons() -> String {
        var reasons: [String] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            buffer.withUnsafeMutableBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            }
            let text = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            let reason = text.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? text
            if !reason.isEmpty && !reasons.contains(reason) { reasons.append(reason) }
        }
        return reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
    }

    private static func load() -> Result<TLSServerLibrary, TLSServerFailure> {
        var failures: [String] = []
        for name in ["libssl.so.3", "libssl.so.1.1", "libssl.so"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                failures.append(dlerror().map { String(cString: $0) } ?? "\(name): not found")
                continue
            }
            do throws(TLSServerFailure) {
                return .success(try TLSServerLibrary(handle: handle, fileName: name))
            } catch {
                failures.append(error.reason)
            }
        }
        return .failure(
            TLSServerFailure(reason: "serving https needs the system's OpenSSL (1.1 or 3): " + failures.joined(separator: "; ")))
    }

    private init(handle: UnsafeMutableRawPointer, fileName: String) throws(TLSServerFailure) {
        func symbol<Function>(_ name: String) throws(TLSServerFailure) -> Function {
            guard let pointer = dlsym(handle, name) else { throw TLSServerFailure(reason: "\(fileName) has no \(name)") }
            return unsafeBitCast(pointer, to: Function.self)
        }
        TLS_server_method = try symbol("TLS_server_method")
        SSL_CTX_new = try symbol("SSL_CTX_new")
        SSL_CTX_free = try symbol("SSL_CTX_free")
        SSL_CTX_use_certificate_chain_file = try symbol("SSL_CTX_use_certificate_chain_file")
        SSL_CTX_use_PrivateKey_file = try symbol("SSL_CTX_use_PrivateKey_file")
        SSL_CTX_check_private_key = try symbol("SSL_CTX_check_private_key")
        SSL_new = try symbol("SSL_new")
        SSL_free = try symbol("SSL_free")
        SSL_set_bio = try symbol("SSL_set_bio")
        SSL_set_accept_state = try symbol("SSL_set_accept_state")
        SSL_read = try symbol("SSL_read")
        SSL_write = try symbol("SSL_write")
        SSL_get_error = try symbol("SSL_get_error")
        SSL_shutdown = try symbol("SSL_shutdown")
        BIO_s_mem = try symbol("BIO_s_mem")
        BIO_new = try symbol("BIO_new")
        BIO_free = try symbol("BIO_free")
        BIO_read = try symbol("BIO_read")
        BIO_write = try symbol("BIO_write")
        BIO_ctrl_pending = try symbol("BIO_ctrl_pending")
        ERR_get_error = try symbol("ERR_get_error")
        ERR_clear_error = try symbol("ERR_clear_error")
        ERR_error_string_n = try symbol("ERR_error_string_n")
    }
}

/// Why the simulator cannot serve https.
struct TLSServerFailure: Error, Sendable {
    var reason: String
}
