import Foundation
import Glibc

/// What a handler wants done with a request.
enum HTTPReply {
    /// Send this response (the connection stays open if the request allows keep-alive).
    case response(HTTPResponse)
    /// Close the connection without answering.
    case closeWithoutResponse
    /// Run `work` on the I/O thread after a delay, without holding up other connections, and
    /// use its reply. `work` runs even if the client has gone away meanwhile.
    indirect case deferred(milliseconds: Int, work: () -> HTTPReply)
}

/// An HTTP/1.1 server on non-blocking sockets and one `poll` loop on a dedicated thread, so it
/// never blocks Swift's cooperative pool. Keep-alive, pipelining (answered in order), delayed
/// replies on timers, and optionally TLS on every connection (`TLSServerSession`: the loop moves
/// raw bytes, OpenSSL only transforms them). The handler runs on the I/O thread and must not block.
final class HTTPServer: @unchecked Sendable {
    typealias Handler = (HTTPRequest) -> HTTPReply

    let port: Int
    private let listener: Int32
    private let wakePipe: (read: Int32, write: Int32)
    private let handler: Handler
    /// Set when serving https: every accepted connection gets a TLS session.
    private let tls: TLSServerContext?
    private let limits: HTTPLimits
    private let idleTimeout: Duration
    private let control = NSLock()
    private var stopRequested = false
    private var finished = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    /// Connections accepted since start (guarded by `control`).
    private var acceptedCount = 0

    // Owned by the I/O thread only.
    private var connections: [Int32: Connection] = [:]
    private var timers: [Timer] = []
    private var timerSequence = 0
    /// While out of file descriptors, the listener is not polled (else poll would spin).
    private var acceptPausedUntil: ContinuousClock.Instant?
    private let dateCache = HTTPDateCache()
    private var readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    private final class Connection {
        let descriptor: Int32
        var parser: HTTPRequestParser
        /// The TLS layer when serving https; `output` then holds encrypted records.
        let tls: TLSServerSession?
        var output: [UInt8] = []
        var outputOffset = 0
        /// A request is being answered (its reply is deferred); later requests wait.
        var busy = false
        var closeAfterFlush = false
        var closed = false
        var lastActivity = ContinuousClock.now

        init(descriptor: Int32, limits: HTTPLimits, tls: TLSServerSession?) {
            self.descriptor = descriptor
            self.parser = HTTPRequestParser(limits: limits)
            self.tls = tls
        }

        var hasPendingOutput: Bool { outputOffset < output.count }
    }

    private struct Timer {
        var deadline: ContinuousClock.Instant
        var sequence: Int
        var connection: Connection
        var keepAlive: Bool
        var work: () -> HTTPReply
    }

    /// Binds and starts serving on a new thread.
    init(
        host: String, port: Int, limits: HTTPLimits, idleTimeout: Duration, tls: TLSServerContext? = nil,
        handler: @escaping Handler
    ) throws(Socket.Failure) {
        let bound = try Socket.listen(host: host, port: port)
        do {
            self.wakePipe = try Socket.makeWakePipe()
        } catch {
            close(bound.descriptor)
            throw error
        }
        self.listener = bound.descriptor
        self.port = bound.port
        self.handler = handler
        self.tls = tls
        self.limits = limits
        self.idleTimeout = idleTimeout
        let thread = Thread { [self] in self.run() }
        thread.name = "evolution-simulator-io"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Closes the listener and every connection, and waits until the I/O thread has finished.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            control.lock()
            if finished {
                control.unlock()
                continuation.resume()
                return
            }
            stopRequested = true
            stopWaiters.append(continuation)
            // Written under the lock: the I/O thread closes the pipe under the same lock, so
            // this never writes to a closed (or reused) descriptor.
            var byte: UInt8 = 1
            _ = Glibc.write(wakePipe.write, &byte, 1)
            control.unlock()
        }
    }

    /// TCP connections accepted since the server started (keep-alive reuse shows as fewer).
    var connectionsAccepted: Int { control.withLock { acceptedCount } }

    private var shouldStop: Bool {
        control.lock()
        defer { control.unlock() }
        return stopRequested
    }

    // MARK: - The loop

    private func run() {
        var descriptors: [pollfd] = []
        var order: [Connection] = []
        while !shouldStop {
            descriptors.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0))
            if let until = acceptPausedUntil, until <= .now { acceptPausedUntil = nil }
            let listenerEvents = acceptPausedUntil == nil ? Int16(POLLIN) : 0
            descriptors.append(pollfd(fd: listener, events: listenerEvents, revents: 0))
            for connection in connections.values {
                var events: Int16 = 0
                if !connection.busy && !connection.closeAfterFlush { events |= Int16(POLLIN) }
                if connection.hasPendingOutput { events |= Int16(POLLOUT) }
                descriptors.append(pollfd(fd: connection.descriptor, events: events, revents: 0))
                order.append(connection)
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), pollTimeout())
            if ready < 0 && errno != EINTR { break }
            // What poll reports arrived by now: a delayed answer counts from here, not from
            // when the loop got round to it behind the rest of a burst.
            let arrival = ContinuousClock.now
            if descriptors[0].revents != 0 { drainWakePipe() }
            if descriptors[1].revents & Int16(POLLIN) != 0 { acceptAll() }
            for (index, connection) in order.enumerated() where !connection.closed {
                let events = descriptors[index + 2].revents
                if events == 0 { continue }
                if events & Int16(POLLOUT) != 0 { flush(connection) }
                if connection.closed { continue }
                if events & Int16(POLLIN | POLLHUP | POLLERR) != 0 && !connection.busy { readAvailable(connection, arrival: arrival) }
            }
            fireDueTimers()
            closeIdleConnections()
        }
        shutdown()
    }

    private func pollTimeout() -> Int32 {
        guard let next = (timers.map(\.deadline) + [acceptPausedUntil].compactMap { $0 }).min() else { return 1000 }
        let remaining = ContinuousClock.now.duration(to: next)
        if remaining <= .zero { return 0 }
        let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
        return Int32(min(milliseconds, 1000))
    }

    private func drainWakePipe() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while Glibc.read(wakePipe.read, &bytes, bytes.count) > 0 {}
    }

    private func acceptAll() {
        while let descriptor = Socket.accept(listener) {
            var session: TLSServerSession?
            if let tls {
                guard let created = tls.session() else {
                    close(descriptor)
                    continue
                }
                session = created
            }
            connections[descriptor] = Connection(descriptor: descriptor, limits: limits, tls: session)
            control.withLock { acceptedCount += 1 }
        }
        if Socket.lastAcceptFailedForLackOfDescriptors { acceptPausedUntil = .now + .milliseconds(100) }
    }

    private func readAvailable(_ connection: Connection, arrival: ContinuousClock.Instant) {
        var total = 0
        while total < 1 << 20 {
            switch Socket.read(connection.descriptor, into: readBuffer) {
            case .bytes(let count):
                total += count
                connection.lastActivity = .now
                let raw = UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
                if let tls = connection.tls {
                    var plaintext: [UInt8] = []
                    let received = tls.receive(raw, plaintext: &plaintext, outgoing: &connection.output)
                    if !plaintext.isEmpty { plaintext.withUnsafeBytes { connection.parser.append($0) } }
                    switch received {
                    case .open:
                        break
                    case .closed:
                        closeConnection(connection)
                        return
                    case .failed:
                        // Send the alert OpenSSL prepared, then close.
                        connection.closeAfterFlush = true
                        flush(connection)
                        return
                    }
                    if !plaintext.isEmpty { process(connection, arrival: arrival) }
                    if connection.hasPendingOutput { flush(connection) }
                } else {
                    connection.parser.append(raw)
                    process(connection, arrival: arrival)
                }
                if connection.closed || connection.busy || connection.closeAfterFlush { return }
                if count < readBuffer.count { return }
            case .wouldBlock:
                return
            case .closed:
                closeConnection(connection)
                return
            }
        }
    }

    /// Answers every complete request in the connection's buffer, in order, until one is deferred.
    /// A deferred answer's delay counts from `arrival`.
    private func process(_ connection: Connection, arrival: ContinuousClock.Instant) {
        while !connection.busy && !connection.closeAfterFlush && !connection.closed {
            let request: HTTPRequest?
            do {
                request = try connection.parser.next()
            } catch {
                respondToParseError(error, on: connection)
                break
            }
            guard let request else {
                if connection.parser.takeContinueRequest() {
                    enqueue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), on: connection)
                    flush(connection)
                }
                break
            }
            apply(handler(request), to: connection, keepAlive: request.keepAlive, from: arrival)
        }
    }

    private func apply(_ reply: HTTPReply, to connection: Connection, keepAlive: Bool, from start: ContinuousClock.Instant) {
        switch reply {
        case .response(let response):
            guard !connection.closed else { return }
            enqueue(response.serialized(keepAlive: keepAlive, date: dateCache.current()), on: connection)
            if !keepAlive { closeAfterFlush(connection) }
            flush(connection)
        case .closeWithoutResponse:
            closeConnection(connection)
        case .deferred(let milliseconds, let work):
            connection.busy = true
            timerSequence += 1
            timers.append(
                Timer(
                    deadline: start + .milliseconds(milliseconds), sequence: timerSequence, connection: connection,
                    keepAlive: keepAlive, work: work))
        }
    }

    private func fireDueTimers() {
        while true {
            let now = ContinuousClock.now
            guard let index = dueTimerIndex(now: now) else { return }
            let timer = timers.remove(at: index)
            let connection = timer.connection
            connection.busy = false
            let reply = timer.work()
            if connection.closed {
                // The client left; the work still ran (as on a real server). Follow deferred
                // chains so their effects happen too.
                if case .deferred = reply { apply(reply, to: connection, keepAlive: false, from: timer.deadline) }
                continue
            }
            // A chained delay counts from when the previous one ended; requests that queued
            // behind this one (pipelined) arrived by now.
            apply(reply, to: connection, keepAlive: timer.keepAlive, from: timer.deadline)
            if !connection.busy && !connection.closed { process(connection, arrival: now) }
        }
    }

    private func dueTimerIndex(now: ContinuousClock.Instant) -> Int? {
        var best: Int?
        for (index, timer) in timers.enumerated() where timer.deadline <= now {
            if let current = best, (timers[current].deadline, timers[current].sequence) <= (timer.deadline, timer.sequence) {
                continue
            }
            best = index
        }
        return best
    }

    private func respondToParseError(_ error: HTTPParseError, on connection: Connection) {
        let response: HTTPResponse
        switch error {
        case .bodyTooLarge:
            // body-parser's error through the Express error handler.
            response = .json(
                413,
                ["status": 413, "error": "Internal Server Error", "response": ["message": "request entity too large"]])
        default:
            // Node's HTTP parser answers a bare status line and closes.
            response = HTTPResponse(status: error.status)
        }
        enqueue(response.serialized(keepAlive: false, date: dateCache.current()), on: connection)
        closeAfterFlush(connection)
        flush(connection)
    }

    /// Queues response bytes for sending, encrypted when the connection has TLS.
    private func enqueue(_ bytes: [UInt8], on connection: Connection) {
        if let tls = connection.tls {
            if !tls.send(bytes, outgoing: &connection.output) { connection.closeAfterFlush = true }
        } else {
            connection.output.append(contentsOf: bytes)
        }
    }

    /// Closes the connection once its output is sent, after a TLS `close_notify`.
    private func closeAfterFlush(_ connection: Connection) {
        guard !connection.closeAfterFlush else { return }
        connection.closeAfterFlush = true
        connection.tls?.shutdown(outgoing: &connection.output)
    }

    private func flush(_ connection: Connection) {
        guard !connection.closed else { return }
        while connection.hasPendingOutput {
            let result = connection.output.withUnsafeBytes { bytes in
                Socket.write(connection.descriptor, UnsafeRawBufferPointer(rebasing: bytes[connection.outputOffset...]))
            }
            switch result {
            case .wrote(let count):
                connection.outputOffset += count
                connection.lastActivity = .now
            case .wouldBlock:
                return
            case .failed:
                closeConnection(connection)
                return
            }
        }
        connection.output.removeAll(keepingCapacity: true)
        connection.outputOffset = 0
        if connection.closeAfterFlush { closeConnection(connection) }
    }

    private func closeConnection(_ connection: Connection) {
        guard !connection.closed else { return }
        connection.closed = true
        connections[connection.descriptor] = nil
        close(connection.descriptor)
    }

    private func closeIdleConnections() {
        let now = ContinuousClock.now
        for connection in connections.values
        where !connection.busy && !connection.hasPendingOutput && connection.lastActivity.duration(to: now) > idleTimeout {
            closeConnection(connection)
        }
    }

    private func shutdown() {
        for connection in Array(connections.values) { closeConnection(connection) }
        timers.removeAll()
        close(listener)
        readBuffer.deallocate()
        readBuffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        control.lock()
        close(wakePipe.read)
        close(wakePipe.write)
        finished = true
        let waiters = stopWaiters
        stopWaiters.removeAll()
        control.unlock()
        for waiter in waiters { waiter.resume() }
    }
}
