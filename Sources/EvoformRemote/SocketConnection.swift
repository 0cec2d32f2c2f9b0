#if os(Linux)
    import Glibc

    /// One TCP connection on a non-blocking socket, plain or with TLS (`startTLS`); every
    /// operation waits with `poll` until a deadline. Used by one exchange at a time (the pool
    /// hands it out exclusively).
    final class SocketConnection {
        let descriptor: Int32
        /// `scheme://host:port`, the pool's key.
        let key: String
        /// The TLS layer, once `startTLS` succeeded; `read` and `write` then go through it.
        private(set) var tls: TLSSession?
        /// When the connection last finished an exchange.
        var idleSince: ContinuousClock.Instant = .now
        private var isClosed = false

        private init(descriptor: Int32, key: String) {
            self.descriptor = descriptor
            self.key = key
        }

        deinit { close() }

        /// One address `getaddrinfo` gave for a host and port.
        struct Address: Sendable {
            var family: Int32
            var protocolNumber: Int32
            var bytes: [UInt8]
        }

        /// The addresses of `host:port`; an unknown name is `.dns`.
        static func resolve(host: String, port: Int) throws(TransportFailure) -> [Address] {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_flags = AI_NUMERICSERV
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, String(port), &hints, &list)
            guard status == 0, let first = list else {
                throw TransportFailure(kind: .dns, detail: "could not resolve host \(host): \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(list) }
            var addresses: [Address] = []
            var current: UnsafeMutablePointer<addrinfo>? = first
            while let entry = current {
                current = entry.pointee.ai_next
                guard let pointer = entry.pointee.ai_addr else { continue }
                let bytes = Array(UnsafeRawBufferPointer(start: pointer, count: Int(entry.pointee.ai_addrlen)))
                addresses.append(Address(family: entry.pointee.ai_family, protocolNumber: entry.pointee.ai_protocol, bytes: bytes))
            }
            guard !addresses.isEmpty else { throw TransportFailure(kind: .dns, detail: "no address for host \(host)") }
            return addresses
        }

        /// Connects to the first of `addresses` that accepts. Refused or unreachable is
        /// `.refused` (nothing was sent).
        static func open(
            _ addresses: [Address], host: String, port: Int, key: String, deadline: ContinuousClock.Instant
        ) throws(TransportFailure) -> SocketConnection {
            var lastFailure = TransportFailure(kind: .refused, detail: "could not connect to \(host) port \(port)")
            for address in addresses {
                do {
                    let descriptor = try connect(address, deadline: deadline)
                    return SocketConnection(descriptor: descriptor, key: key)
                } catch {
                    lastFailure = error
                    lastFailure.detail = "could not connect to \(host) port \(port): \(error.detail)"
                    if error.kind == .timeout { break }
                }
            }
            throw lastFailure
        }

        private static func connect(_ address: Address, deadline: ContinuousClock.Instant) throws(TransportFailure) -> Int32 {
            let descriptor = socket(
                address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                address.protocolNumber)
            guard descriptor >= 0 else { throw TransportFailure(kind: .other, detail: "socket: \(describe(errno))") }
            var yes: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            var result = address.bytes.withUnsafeBytes { raw in
                Glibc.connect(
                    descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(address.bytes.count))
            }
            if result != 0 && (errno == EINPROGRESS || errno == EINTR) {
                switch wait(descriptor, for: Int16(POLLOUT), until: deadline) {
                case .ready:
                    var code: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length)
                    errno = code
                    result = code == 0 ? 0 : -1
                case .timedOut:
                    Glibc.close(descriptor)
                    throw TransportFailure(kind: .timeout, detail: "connect timed out")
                case .failed(let code):
                    errno = code
                    result = -1
                }
            }
            guard result == 0 else {
                let code = errno
                Glibc.close(descriptor)
                throw TransportFailure(kind: .refused, detail: describe(code))
            }
            return descriptor
        }

        /// Runs the TLS handshake for `host`; from then on `read` and `write` are encrypted.
        /// Failures are `.tls`, with the reason as detail.
        func startTLS(_ context: TLSClientContext, host: String, deadline: ContinuousClock.Instant) throws(
            TransportFailure
        ) {
            let session = try context.session(host: host)
            try session.handshake(over: self, deadline: deadline)
            tls = session
        }

        /// Sends every byte (encrypted once TLS is on). A peer that went away is
        /// `.connectionLost` (never a SIGPIPE).
        func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(TransportFailure) {
            if let tls {
                try tls.write(bytes, over: self, deadline: deadline)
            } else {
                let result = bytes.withUnsafeBytes { raw in
                    Result { () throws(TransportFailure) in try writePlain(raw, deadline: deadline) }
                }
                try result.get()
            }
        }

        /// Sends every byte as is, below any TLS layer.
        func writePlain(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant) throws(TransportFailure) {
            var offset = 0
            while offset < bytes.count {
                let count = send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if count >= 0 {
                    offset += count
                    continue
                }
                switch errno {
                case EINTR:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    switch Self.wait(descriptor, for: Int16(POLLOUT), until: deadline) {
                    case .ready: continue
                    case .timedOut: throw TransportFailure(kind: .timeout, detail: "sending timed out")
                    case .failed(let code): throw TransportFailure(kind: .connectionLost, detail: Self.describe(code))
                    }
                default:
                    throw TransportFailure(kind: .connectionLost, detail: Self.describe(errno))
                }
            }
        }

        enum ReadResult {
            case bytes(Int)
            case endOfStream
            case timedOut
            case failed(Int32)
            /// The TLS layer failed (a bad record, an alert).
            case protocolError(String)
        }

        /// Reads what has arrived (decrypted once TLS is on), waiting until `deadline` for at
        /// least one byte.
        func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant) -> ReadResult {
            if let tls { return tls.read(into: buffer, over: self, deadline: deadline) }
            return readPlain(into: buffer, deadline: deadline)
        }

        /// Reads what has arrived as is, below any TLS layer.
        func readPlain(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant) -> ReadResult {
            while true {
                let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
                if count > 0 { return .bytes(count) }
                if count == 0 { return .endOfStream }
                switch errno {
                case EINTR:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    switch Self.wait(descriptor, for: Int16(POLLIN), until: deadline) {
                    case .ready: continue
                    case .timedOut: return .timedOut
                    case .failed(let code): return .failed(code)
                    }
                default:
                    return .failed(errno)
                }
            }
        }

        /// Whether an idle connection can carry a request: the peer has not closed it and sent
        /// nothing unasked.
        var looksReusable: Bool {
            if let tls { return tls.isIdleAndOpen(over: self) }
            var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, 1, 0)
            return ready == 0
        }

        func close() {
            guard !isClosed else { return }
            isClosed = true
            tls?.sendCloseNotify(over: self)
            tls = nil
            Glibc.close(descriptor)
        }

        enum WaitResult {
            case ready
            case timedOut
            case failed(Int32)
        }

        /// Waits until the socket is ready for `events` or the deadline passes.
        static func wait(_ descriptor: Int32, for events: Int16, until deadline: ContinuousClock.Instant) -> WaitResult {
            while true {
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else { return .timedOut }
                let milliseconds = remaining.components.seconds * 1000
                    + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
                var descriptors = [pollfd(fd: descriptor, events: events, revents: 0)]
                let ready = poll(&descriptors, 1, Int32(min(milliseconds, 60_000)))
                if ready > 0 {
                    // Readable, writable, or hung up / in error: the next call reports which.
                    return .ready
                }
                if ready == 0 { continue }
                if errno == EINTR { continue }
                return .failed(errno)
            }
        }

        static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
    }
#endif
