#if os(Linux)
    /// One OpenSSL session over two memory buffers: OpenSSL never touches a socket. Its owner hands
    /// it the bytes received from the peer (`receive`) and sends what it produced (`sendOutput`),
    /// so the owner decides how to wait (a `poll` with a deadline, a server's event loop) and
    /// OpenSSL can neither block nor raise SIGPIPE. The client and the simulator's server share it.
    public final class MemoryTLSChannel {
        /// Which end of the handshake this side plays.
        public enum Role {
            case connecting, accepting
        }

        public let library: OpenSSLLibrary
        /// The session; freed with the channel.
        public let ssl: OpaquePointer
        /// Owned by `ssl`.
        private let input: OpaquePointer
        private let output: OpaquePointer
        private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 16)

        /// Attaches the buffers to `ssl` and owns it from then on; nil (and `ssl` still the
        /// caller's) if OpenSSL is out of memory.
        public init?(_ ssl: OpaquePointer, library: OpenSSLLibrary, role: Role) {
            guard let method = library.BIO_s_mem(), let input = library.BIO_new(method) else {
                chunk.deallocate()
                return nil
            }
            guard let output = library.BIO_new(method) else {
                _ = library.BIO_free(input)
                chunk.deallocate()
                return nil
            }
            library.SSL_set_bio(ssl, input, output)
            switch role {
            case .connecting: library.SSL_set_connect_state(ssl)
            case .accepting: library.SSL_set_accept_state(ssl)
            }
            self.library = library
            self.ssl = ssl
            self.input = input
            self.output = output
        }

        deinit {
            library.SSL_free(ssl)
            chunk.deallocate()
        }

        /// Hands OpenSSL bytes received from the peer.
        public func receive(_ bytes: UnsafeRawBufferPointer) {
            _ = library.BIO_write(input, bytes.baseAddress, Int32(bytes.count))
        }

        /// Passes everything OpenSSL produced for the peer (handshake, records, alerts) to `send`,
        /// in order, one chunk at a time.
        public func sendOutput<Failure: Error>(_ send: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) {
            while library.BIO_ctrl_pending(output) > 0 {
                let count = library.BIO_read(output, chunk.baseAddress, Int32(chunk.count))
                guard count > 0 else { return }
                try send(UnsafeRawBufferPointer(rebasing: chunk[0..<Int(count)]))
            }
        }
    }
#endif
