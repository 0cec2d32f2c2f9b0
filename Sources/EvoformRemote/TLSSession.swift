#if os(Linux)
    import Glibc
    import SystemOpenSSL

    /// The TLS layer of one client connection: an OpenSSL session over memory buffers
    /// (`MemoryTLSChannel`), with evoform doing the socket I/O. Whatever OpenSSL wants sent goes
    /// to the socket (`SocketConnection.writePlain`: `MSG_NOSIGNAL`, one deadline); whenever it
    /// wants input, bytes read from the socket are handed to it. OpenSSL therefore never
    /// blocks, never raises SIGPIPE, and every wait is a `poll` bounded by the request's deadline.
    ///
    /// Used by one exchange at a time, like its connection.
    final class TLSSession {
        private let library: OpenSSLLibrary
        private let channel: MemoryTLSChannel
        private var ssl: OpaquePointer { channel.ssl }
        /// Whether the certificate is checked (a failed check then names its reason).
        private let verifies: Bool
        private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 16)
        /// The first bytes the server sent, to recognise a plain-HTTP answer to a ClientHello.
        private var firstBytes: [UInt8] = []

        /// Owns `ssl` once made; nil (and `ssl` still the caller's) if OpenSSL is out of memory.
        init?(ssl: OpaquePointer, library: OpenSSLLibrary, verifies: Bool) {
            guard let channel = MemoryTLSChannel(ssl, library: library, role: .connecting) else {
                buffer.deallocate()
                return nil
            }
            self.library = library
            self.channel = channel
            self.verifies = verifies
        }

        deinit { buffer.deallocate() }

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
            let reason = library.drainErrorText()
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
                        kind: .connectionLost, detail: "TLS error while sending: \(library.drainErrorText())")
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
                let reason = error == OpenSSLLibrary.SSL_ERROR_SSL ? library.drainErrorText() : "no reason given"
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
                    channel.receive(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
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
            try channel.sendOutput { (chunk) throws(TransportFailure) in try connection.writePlain(chunk, deadline: deadline) }
        }

        /// Reads bytes from the socket into OpenSSL's input buffer.
        private func receive(over connection: SocketConnection, deadline: ContinuousClock.Instant) -> SocketConnection.ReadResult
        {
            let result = connection.readPlain(into: buffer, deadline: deadline)
            if case .bytes(let count) = result {
                if firstBytes.count < 8 { firstBytes += UnsafeRawBufferPointer(rebasing: buffer[0..<min(count, 8)]) }
                channel.receive(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
            return result
        }
    }
#endif
