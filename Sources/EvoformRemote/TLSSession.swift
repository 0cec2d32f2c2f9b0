#if os(Linux)
    import Glibc

    /// The TLS layer of one client connection: an OpenSSL session over two memory buffers, with
    /// evoform doing the socket I/O. Whatever OpenSSL wants sent is moved from the output buffer
    /// to the socket (`SocketConnection.writePlain`: `MSG_NOSIGNAL`, one deadline); whenever it
    /// wants input, bytes read from the socket are put in the input buffer. OpenSSL therefore never
    /// blocks, never raises SIGPIPE, and every wait is a `poll` bounded by the request's deadline.
    ///
    /// Used by one exchange at a time, like its connection.
    final class TLSSession {
        private let library: OpenSSLLibrary
        private let ssl: OpaquePointer
        /// Owned by `ssl` (freed with it).
        private let input: OpaquePointer
        private let output: OpaquePointer
        /// Whether the certificate is checked (a failed check then names its reason).
        private let verifies: Bool
        private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 16)
        /// The first bytes the server sent, to recognise a plain-HTTP answer to a ClientHello.
        private var firstBytes: [UInt8] = []

        init?(ssl: OpaquePointer, library: OpenSSLLibrary, verifies: Bool) {
            guard let method = library.BIO_s_mem(), let input = library.BIO_new(method) else {
                buffer.deallocate()
                return nil
            }
            guard let output = library.BIO_new(method) else {
                _ = library.BIO_free(input)
                buffer.deallocate()
                return nil
            }
            library.SSL_set_bio(ssl, input, output)
            library.SSL_set_connect_state(ssl)
            self.library = library
            self.ssl = ssl
            self.input = input
            self.output = output
            self.verifies = verifies
        }

        deinit {
            library.SSL_free(ssl)
            buffer.deallocate()
        }

        /// Runs the handshake. Every failure is `.tls` (nothing of the request was sent) with the
        /// reason as detail: the certificate check, the protocol error, a server that answered in
        /// plain HTTP, or no answer before the deadline.
        func handshake(over connection: SocketConnection, deadline: ContinuousClock.Instant) throws(TransportFailure) {
            while true {
                library.ERR_clear_error()
                let result = library.SSL_do_handshake(ssl)
                let error = result == 1 ? 0 : library.SSL_get_error(ssl, result)
                let failure = result == 1 || error == OpenSSLLibrary.SSL_ERROR_WANT_READ ? nil : handshakeFailure()
                do {
                    // Sent even after a failure: it carries the alert that tells the server why.
                    try flush(over: connection, deadline: deadline)
                } catch {
                    if let failure { throw failure }
                    throw TransportFailure(kind: .tls, detail: error.detail)
                }
                if let failure { throw failure }
                if result == 1 { return }
                switch receive(over: connection, deadline: deadline) {
                case .bytes:
                    continue
                case .endOfStream:
                    throw TransportFailure(
                        kind: .tls,
                        detail: "the server closed the connection"
                            + (firstBytes.isEmpty ? " without answering (is it serving TLS on that port?)" : ""))
                case .timedOut:
                    throw TransportFailure(
                        kind: .tls, detail: "no TLS answer within the timeout")
                case .failed(let code):
                    throw TransportFailure(
                        kind: .tls, detail: SocketConnection.describe(code))
                case .protocolError(let reason):
                    throw TransportFailure(kind: .tls, detail: reason)
                }
            }
        }

        private func handshakeFailure() -> TransportFailure {
            let reasons = library.drainErrorReasons()
            if firstBytes.starts(with: Array("HTTP/".utf8)) {
                return TransportFailure(
                    kind: .tls,
                    detail: "the server answered in plain HTTP (is the URL meant to be http://?)")
            }
            if verifies {
                let code = library.SSL_get_verify_result(ssl)
                if code != 0, let text = library.X509_verify_cert_error_string(code) {
                    return TransportFailure(
                        kind: .tls,
                        detail: "certificate verify failed: \(String(cString: text))")
                }
            }
            let reason = reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
            return TransportFailure(kind: .tls, detail: reason)
        }

        /// Encrypts and sends every byte. Failures are `.connectionLost` (the request may have
        /// reached the server), as on a plain connection.
        func write(_ bytes: [UInt8], over connection: SocketConnection, deadline: ContinuousClock.Instant)
            throws(TransportFailure)
        {
            var offset = 0
            while offset < bytes.count {
                library.ERR_clear_error()
                let count = bytes.withUnsafeBytes { raw in
                    library.SSL_write(ssl, raw.baseAddress! + offset, Int32(clamping: raw.count - offset))
                }
                let error = count > 0 ? 0 : library.SSL_get_error(ssl, count)
                try flush(over: connection, deadline: deadline)
                if count > 0 {
                    offset += Int(count)
                    continue
                }
                switch error {
                case OpenSSLLibrary.SSL_ERROR_WANT_READ:
                    switch receive(over: connection, deadline: deadline) {
                    case .bytes: continue
                    case .endOfStream, .failed, .protocolError:
                        throw TransportFailure(kind: .connectionLost, detail: "the server closed the TLS connection")
                    case .timedOut:
                        throw TransportFailure(kind: .timeout, detail: "sending timed out")
                    }
                case OpenSSLLibrary.SSL_ERROR_WANT_WRITE:
                    continue
                default:
                    throw TransportFailure(
                        kind: .connectionLost, detail: "TLS error while sending: \(TLSClientContext.reasons(library))")
                }
            }
        }

        /// Decrypts what has arrived into `destination`, reading from the socket until at least
        /// one byte of application data, the end of the stream, or the deadline.
        func read(
            into destination: UnsafeMutableRawBufferPointer, over connection: SocketConnection, deadline: ContinuousClock.Instant
        ) -> SocketConnection.ReadResult {
            while true {
                library.ERR_clear_error()
                let count = library.SSL_read(ssl, destination.baseAddress, Int32(clamping: destination.count))
                if count > 0 { return .bytes(Int(count)) }
                let error = library.SSL_get_error(ssl, count)
                let reasons = error == OpenSSLLibrary.SSL_ERROR_SSL ? library.drainErrorReasons() : []
                do {
                    try flush(over: connection, deadline: deadline)
                } catch {
                    return .failed(EPIPE)
                }
                switch error {
                case OpenSSLLibrary.SSL_ERROR_ZERO_RETURN:
                    return .endOfStream
                case OpenSSLLibrary.SSL_ERROR_WANT_READ:
                    let received = receive(over: connection, deadline: deadline)
                    if case .bytes = received { continue }
                    return received
                case OpenSSLLibrary.SSL_ERROR_WANT_WRITE:
                    continue
                default:
                    let reason = reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
                    return .protocolError("TLS error while receiving: \(reason)")
                }
            }
        }

        /// Whether an idle connection is still usable: whatever arrived meanwhile was only TLS
        /// housekeeping (TLS 1.3 session tickets), not data, an alert or the end of the stream.
        func isIdleAndOpen(over connection: SocketConnection) -> Bool {
            while true {
                switch connection.readPlain(into: buffer, deadline: .now) {
                case .timedOut:
                    return true
                case .bytes(let count):
                    _ = library.BIO_write(input, buffer.baseAddress, Int32(count))
                    library.ERR_clear_error()
                    var probe: UInt8 = 0
                    let result = library.SSL_read(ssl, &probe, 1)
                    if result > 0 || library.SSL_get_error(ssl, result) != OpenSSLLibrary.SSL_ERROR_WANT_READ {
                        library.ERR_clear_error()
                        return false
                    }
                case .endOfStream, .failed, .protocolError:
                    return false
                }
            }
        }

        /// Tells the server the connection ends (`close_notify`), without waiting.
        func sendCloseNotify(over connection: SocketConnection) {
            library.ERR_clear_error()
            _ = library.SSL_shutdown(ssl)
            library.ERR_clear_error()
            try? flush(over: connection, deadline: .now)
        }

        /// Moves everything OpenSSL produced to the socket.
        private func flush(over connection: SocketConnection, deadline: ContinuousClock.Instant) throws(TransportFailure) {
            while library.BIO_ctrl_pending(output) > 0 {
                let count = library.BIO_read(output, buffer.baseAddress, Int32(buffer.count))
                guard count > 0 else { return }
                try connection.writePlain(UnsafeRawBufferPointer(rebasing: buffer[0..<Int(count)]), deadline: deadline)
            }
        }

        /// Reads bytes from the socket into OpenSSL's input buffer.
        private func receive(over connection: SocketConnection, deadline: ContinuousClock.Instant) -> SocketConnection.ReadResult
        {
            let result = connection.readPlain(into: buffer, deadline: deadline)
            if case .bytes(let count) = result {
                if firstBytes.count < 8 { firstBytes += UnsafeRawBufferPointer(rebasing: buffer[0..<min(count, 8)]) }
                _ = library.BIO_write(input, buffer.baseAddress, Int32(count))
            }
            return result
        }
    }
#endif
