#if os(Linux)
    import SystemOpenSSL
#endif

/// The simulator's certificate and key in one OpenSSL server context, shared by every connection
/// (only the I/O thread uses it).
final class TLSServerContext: @unchecked Sendable {
    let library: OpenSSLLibrary
    private let context: OpaquePointer

    /// Loads a PEM certificate chain and its private key; a missing file or a key that does not
    /// match the certificate fails with OpenSSL's reason.
    init(certificateFile: String, keyFile: String) throws(TLSServerFailure) {
        let library: OpenSSLLibrary
        switch OpenSSLLibrary.shared {
        case .success(let loaded): library = loaded
        case .failure(let unavailable): throw TLSServerFailure(reason: "serving https needs " + unavailable.reason)
        }
        library.ERR_clear_error()
        guard let method = library.TLS_server_method(), let context = library.SSL_CTX_new(method) else {
            throw TLSServerFailure(reason: "OpenSSL could not create a server context: \(library.drainErrorText())")
        }
        guard library.SSL_CTX_use_certificate_chain_file(context, certificateFile) == 1 else {
            let reason = library.drainErrorText()
            library.SSL_CTX_free(context)
            throw TLSServerFailure(reason: "cannot load the TLS certificate \(certificateFile): \(reason)")
        }
        guard library.SSL_CTX_use_PrivateKey_file(context, keyFile, OpenSSLLibrary.SSL_FILETYPE_PEM) == 1,
            library.SSL_CTX_check_private_key(context) == 1
        else {
            let reason = library.drainErrorText()
            library.SSL_CTX_free(context)
            throw TLSServerFailure(reason: "cannot use the TLS key \(keyFile) with \(certificateFile): \(reason)")
        }
        self.library = library
        self.context = context
    }

    deinit { library.SSL_CTX_free(context) }

    /// A session for one accepted connection; nil if OpenSSL is out of memory.
    func session() -> TLSServerSession? {
        guard let ssl = library.SSL_new(context) else { return nil }
        guard let session = TLSServerSession(ssl: ssl, library: library) else {
            library.SSL_free(ssl)
            return nil
        }
        return session
    }
}

/// The TLS layer of one accepted connection, over memory buffers (`MemoryTLSChannel`): raw
/// bytes from the socket go in, decrypted request bytes come out, and whatever must be sent
/// (handshake, records, alerts) is appended to the connection's output.
final class TLSServerSession {
    private let library: OpenSSLLibrary
    private let channel: MemoryTLSChannel
    private var ssl: OpaquePointer { channel.ssl }
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 16)

    /// Owns `ssl` once made; nil (and `ssl` still the caller's) if OpenSSL is out of memory.
    init?(ssl: OpaquePointer, library: OpenSSLLibrary) {
        guard let channel = MemoryTLSChannel(ssl, library: library, role: .accepting) else {
            buffer.deallocate()
            return nil
        }
        self.library = library
        self.channel = channel
    }

    deinit { buffer.deallocate() }

    /// What became of the bytes received.
    enum Received {
        /// Carry on (the handshake may still be running).
        case open
        /// The client ended the TLS session (`close_notify`).
        case closed
        /// A TLS error (a bad record, a rejected certificate): send the output, then close.
        case failed
    }

    /// Takes raw bytes from the socket; appends the decrypted application data to `plaintext`
    /// and what must be sent back to `outgoing`.
    func receive(_ raw: UnsafeRawBufferPointer, plaintext: inout [UInt8], outgoing: inout [UInt8]) -> Received {
        channel.receive(raw)
        var outcome = Received.open
        while true {
            library.ERR_clear_error()
            let count = library.SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
            if count > 0 {
                plaintext += UnsafeRawBufferPointer(rebasing: buffer[0..<Int(count)])
                continue
            }
            switch library.SSL_get_error(ssl, count) {
            case OpenSSLLibrary.SSL_ERROR_WANT_READ, OpenSSLLibrary.SSL_ERROR_WANT_WRITE: break
            case OpenSSLLibrary.SSL_ERROR_ZERO_RETURN: outcome = .closed
            default: outcome = .failed
            }
            break
        }
        library.ERR_clear_error()
        drain(into: &outgoing)
        return outcome
    }

    /// Encrypts `plaintext` and appends the records to `outgoing`. False on a TLS error.
    func send(_ plaintext: [UInt8], outgoing: inout [UInt8]) -> Bool {
        var offset = 0
        var succeeded = true
        while offset < plaintext.count {
            library.ERR_clear_error()
            let count = plaintext.withUnsafeBytes { raw in
                library.SSL_write(ssl, raw.baseAddress! + offset, Int32(clamping: raw.count - offset))
            }
            if count <= 0 {
                library.ERR_clear_error()
                succeeded = false
                break
            }
            offset += Int(count)
        }
        drain(into: &outgoing)
        return succeeded
    }

    /// Appends a `close_notify` alert to `outgoing`.
    func shutdown(outgoing: inout [UInt8]) {
        library.ERR_clear_error()
        _ = library.SSL_shutdown(ssl)
        library.ERR_clear_error()
        drain(into: &outgoing)
    }

    private func drain(into outgoing: inout [UInt8]) {
        channel.sendOutput { outgoing += $0 }
    }
}

/// Why the simulator cannot serve https.
struct TLSServerFailure: Error, Sendable {
    var reason: String
}
