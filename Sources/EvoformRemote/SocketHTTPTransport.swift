import Foundation

#if os(Linux)
    import Glibc
#endif

/// An HTTP transport on POSIX sockets, for Linux: plain `http://`, and `https://` through the
/// system's OpenSSL (loaded at run time) when it is given a `TLSVerification`.
///
/// corelibs-foundation's `URLSession` costs 3-5 ms of CPU and about 200 thread switches per
/// request on Linux (libcurl's multi handle driven through Dispatch sources and timers); with
/// parallel calls on a 2-core machine that, not the server, bounds an apply. This transport
/// costs a few system calls per request. Its rules:
/// - every request reuses an idle keep-alive connection when there is one (one the server
///   closed, or idle longer than `maximumIdle`, is detected before use and not taken), so a
///   fleet's calls do not pay a connect and close each (most of this transport's kernel time);
/// - a reused connection that fails before the request was written is dropped and the request
///   sent on a new one: nothing reached the server. One that closes after the request was
///   written but before any answer is resent on a new one only for a GET; for a mutating
///   request it is a lost connection, whose outcome the caller treats as unknown (a create is
///   looked up before anything is sent again), so nothing that may have been applied is resent;
/// - one deadline (`timeoutSeconds`) covers connecting, sending and receiving;
/// - blocking calls run on dedicated threads (`BlockingExecutor`), never on the cooperative pool.
///
/// Proxies (`ProxyConfiguration`): `http` requests go to the proxy in absolute form, `https` ones
/// through a `CONNECT` tunnel with TLS end to end; a proxy's refusal is a `.proxy` failure
/// naming it. On Linux it carries every request (see `HTTPTransportFactory`).
public final class SocketHTTPTransport: HTTPTransport, @unchecked Sendable {
    #if os(Linux)
        private let pool: IdleConnectionPool
        /// The client context for `https` URLs, or why there is none (loaded once, at init).
        private let tls: Result<TLSClientContext, TransportFailure>?
        /// The proxies to go through (a request whose proxy variable cannot be used fails).
        private let proxies: ProxyConfiguration
    #endif

    /// - Parameters:
    ///   - tls: how `https` URLs are verified; nil: `https` URLs are refused.
    ///   - proxies: the proxies to go through (see `ProxyConfiguration`); `.none`: connect directly.
    public convenience init(tls: TLSVerification? = nil, proxies: ProxyConfiguration = .none) {
        self.init(maximumIdle: .seconds(2), tls: tls, proxies: proxies)
    }

    /// - Parameter maximumIdle: an idle keep-alive connection older than this is not reused.
    init(
        maximumIdle: Duration, tls: TLSVerification? = nil,
        proxies: ProxyConfiguration = .none
    ) {
        #if os(Linux)
            pool = IdleConnectionPool(maximumIdle: maximumIdle)
            self.tls = tls.map { verification in
                Result { () throws(TransportFailure) in try TLSClientContext(verification: verification) }
            }
            self.proxies = proxies
        #endif
    }

    #if os(Linux)
        /// A transport verifying against the system's trust store loaded as `trustStore` says
        /// (instead of as `SystemTrustStore.current` chooses).
        init(maximumIdle: Duration = .seconds(2), trustStore: SystemTrustStore) {
            pool = IdleConnectionPool(maximumIdle: maximumIdle)
            tls = Result { () throws(TransportFailure) in
                try TLSClientContext(verification: .systemTrustStore, trustStore: trustStore)
            }
            proxies = .none
        }
    #endif

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        #if os(Linux)
            let pool = self.pool
            let tls = self.tls
            let proxies = self.proxies
            return try await BlockingExecutor.shared.run { Self.exchange(request, pool: pool, tls: tls, proxies: proxies) }.get()
        #else
            throw TransportFailure(kind: .other, detail: "the socket transport is only built on Linux")
        #endif
    }

    /// The request as bytes on the wire: request line, `Host`, the request's headers,
    /// `Content-Length` when there is a body. Through a proxy (`proxyAuthorization` non-nil for
    /// one with credentials, `absoluteForm` true): the request line names the whole URL.
    static func serialize(_ request: HTTPRequest, absoluteForm: Bool = false, proxyAuthorization: String? = nil) -> [UInt8]? {
        guard let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false), let host = components.host
        else { return nil }
        var target = components.percentEncodedPath
        if target.isEmpty { target = "/" }
        if let query = components.percentEncodedQuery { target += "?" + query }
        var hostHeader = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if let port = components.port { hostHeader += ":\(port)" }
        if absoluteForm { target = "\(components.scheme?.lowercased() ?? "http")://\(hostHeader)\(target)" }
        var text = "\(request.method) \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: evoform\r\n"
        if let proxyAuthorization { text += "Proxy-Authorization: \(proxyAuthorization)\r\n" }
        for name in request.headers.keys.sorted() {
            let lowered = name.lowercased()
            if lowered == "host" || lowered == "content-length" || lowered == "connection" || lowered == "proxy-authorization" {
                continue
            }
            text += "\(name): \(request.headers[name] ?? "")\r\n"
        }
        if let body = request.body {
            text += "Content-Length: \(body.count)\r\n"
        } else if request.method != "GET" && request.method != "HEAD" {
            text += "Content-Length: 0\r\n"
        }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if let body = request.body { bytes.append(contentsOf: body) }
        return bytes
    }
}

#if os(Linux)
    extension SocketHTTPTransport {
        private struct Target {
            var host: String
            var port: Int
            var isSecure: Bool

            init?(_ url: URL) {
                guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                    var host = URLComponents(url: url, resolvingAgainstBaseURL: false)?.host, !host.isEmpty
                else { return nil }
                if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
                self.host = host
                self.isSecure = scheme == "https"
                self.port = url.port ?? (isSecure ? 443 : 80)
            }

            var key: String { "\(isSecure ? "https" : "http")://\(host):\(port)" }
        }

        /// Why an exchange on a connection failed.
        private enum ExchangeFailure: Error {
            /// A reused connection closed before any byte of an answer: it had gone stale.
            /// `written`: the request had been handed to the kernel (it may have arrived).
            case stale(written: Bool)
            case failure(TransportFailure)
        }

        /// One request and its response, on a pooled connection if one is idle, else a new one.
        fileprivate static func exchange(
            _ request: HTTPRequest, pool: IdleConnectionPool, tls: Result<TLSClientContext, TransportFailure>?,
            proxies: ProxyConfiguration
        ) -> Result<HTTPResponse, TransportFailure> {
            guard let target = Target(request.url) else {
                return .failure(TransportFailure(kind: .other, detail: "not an http:// or https:// URL"))
            }
            let proxy: ProxyConfiguration.Proxy?
            do throws(ProxyConfigurationError) {
                proxy = try proxies.proxy(for: request.url)
            } catch {
                return .failure(TransportFailure(kind: .proxy, detail: error.message))
            }
            var tlsContext: TLSClientContext?
            if target.isSecure {
                switch tls {
                case .success(let context): tlsContext = context
                case .failure(let failure): return .failure(failure)
                case nil:
                    return .failure(
                        TransportFailure(kind: .tls, detail: "this socket transport was made without TLS settings for https"))
                }
            }
            let deadline = ContinuousClock.now + .seconds(max(1, request.timeoutSeconds))
            // Through a proxy: http requests in absolute form to it; https through a CONNECT tunnel.
            let forwarded = proxy != nil && !target.isSecure
            guard
                let bytes = serialize(
                    request, absoluteForm: forwarded, proxyAuthorization: forwarded ? proxy?.authorization : nil)
            else {
                return .failure(TransportFailure(kind: .other, detail: "the URL has no host"))
            }
            let key = target.key + (proxy.map { " via \($0.host):\($0.port)" } ?? "")
            if let connection = pool.take(key) {
                switch exchange(bytes, method: request.method, on: connection, reused: true, deadline: deadline) {
                case .success(let parsed):
                    return answered(parsed, on: connection, forwardedThrough: forwarded ? proxy : nil, pool: pool)
                case .failure(.stale(let written)):
                    connection.close()
                    if written && request.method != "GET" {
                        return .failure(
                            TransportFailure(
                                kind: .connectionLost, detail: "the server closed a kept-alive connection without answering"))
                    }
                case .failure(.failure(let failure)):
                    connection.close()
                    return .failure(failure)
                }
            }
            let connection: SocketConnection
            do throws(TransportFailure) {
                let (peerHost, peerPort) = proxy.map { ($0.host, $0.port) } ?? (target.host, target.port)
                let addressKey = "\(peerHost):\(peerPort)"
                do throws(TransportFailure) {
                    let addresses = try pool.addresses(addressKey) {
                        () throws(TransportFailure) in try SocketConnection.resolve(host: peerHost, port: peerPort)
                    }
                    do throws(TransportFailure) {
                        connection = try SocketConnection.open(addresses, host: peerHost, port: peerPort, key: key, deadline: deadline)
                    } catch {
                        pool.forgetAddresses(addressKey)
                        throw error
                    }
                } catch {
                    // Nothing was sent; the message must name the proxy, not the server.
                    guard let proxy else { throw error }
                    throw TransportFailure(kind: .proxy, detail: "cannot connect to the proxy \(proxy.displayName): \(error.detail)")
                }
                if let proxy, target.isSecure {
                    do throws(TransportFailure) {
                        try openTunnel(on: connection, to: target, through: proxy, deadline: deadline)
                    } catch {
                        connection.close()
                        throw error
                    }
                }
                if let tlsContext {
                    do throws(TransportFailure) {
                        try connection.startTLS(tlsContext, host: target.host, deadline: deadline)
                    } catch {
                        connection.close()
                        throw error
                    }
                }
            } catch {
                return .failure(error)
            }
            switch exchange(bytes, method: request.method, on: connection, reused: false, deadline: deadline) {
            case .success(let parsed):
                return answered(parsed, on: connection, forwardedThrough: forwarded ? proxy : nil, pool: pool)
            case .failure(.stale):
                connection.close()
                return .failure(TransportFailure(kind: .connectionLost, detail: "the server closed the connection without answering"))
            case .failure(.failure(let failure)):
                connection.close()
                return .failure(failure)
            }
        }

        /// The response of an answered exchange, the connection kept for reuse when it allows;
        /// a 407 from the proxy a request was forwarded through is that proxy's failure.
        private static func answered(
            _ parsed: HTTPResponseParser.Parsed, on connection: SocketConnection,
            forwardedThrough proxy: ProxyConfiguration.Proxy?, pool: IdleConnectionPool
        ) -> Result<HTTPResponse, TransportFailure> {
            if let proxy, parsed.response.status == 407 {
                connection.close()
                return .failure(proxyAuthenticationFailure(proxy, to: "the request"))
            }
            finish(connection, keepAlive: parsed.keepAlive, pool: pool)
            return .success(parsed.response)
        }

        /// A proxy's 407: nothing reached the server.
        private static func proxyAuthenticationFailure(_ proxy: ProxyConfiguration.Proxy, to what: String) -> TransportFailure {
            let advice =
                proxy.credentials == nil
                ? "give its user and password in \(proxy.variable) (http://USER:PASSWORD@HOST:PORT)"
                : "it refused the user and password given in \(proxy.variable)"
            return TransportFailure(
                kind: .proxy,
                detail: "the proxy \(proxy.displayName) answered \(what) with 407 Proxy Authentication Required: \(advice)")
        }

        /// Asks the proxy for a tunnel to the target (`CONNECT host:port`) and reads its answer:
        /// a 2xx opens the tunnel; anything else is a `.proxy` failure naming the proxy (nothing
        /// reached the server).
        private static func openTunnel(
            on connection: SocketConnection, to target: Target, through proxy: ProxyConfiguration.Proxy,
            deadline: ContinuousClock.Instant
        ) throws(TransportFailure) {
            let authority = (target.host.contains(":") ? "[\(target.host)]" : target.host) + ":\(target.port)"
            var text = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: evoform\r\n"
            if let authorization = proxy.authorization { text += "Proxy-Authorization: \(authorization)\r\n" }
            text += "\r\n"
            let request = "CONNECT \(authority)"
            do throws(TransportFailure) {
                try connection.write(Array(text.utf8), deadline: deadline)
            } catch {
                throw TransportFailure(kind: .proxy, detail: "the proxy \(proxy.displayName) closed the connection (\(request)): \(error.detail)")
            }
            var head: [UInt8] = []
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
            defer { buffer.deallocate() }
            let end: [UInt8] = Array("\r\n\r\n".utf8)
            while !(head.count >= end.count && head.suffix(end.count).elementsEqual(end)) {
                // One byte at a time past what is needed would be slow; a proxy sends nothing
                // after its answer until the client speaks (TLS starts with the client's hello).
                switch connection.read(into: buffer, deadline: deadline) {
                case .bytes(let count):
                    head += UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                    if head.count > 64 * 1024 {
                        throw TransportFailure(kind: .proxy, detail: "the proxy \(proxy.displayName) sent an oversized answer to \(request)")
                    }
                    if let range = head.firstRange(of: end), range.upperBound != head.count {
                        let status = statusCode(head)
                        guard let status, !(200..<300).contains(status) else {
                            throw TransportFailure(
                                kind: .proxy, detail: "the proxy \(proxy.displayName) sent data after its answer to \(request)")
                        }
                        head = Array(head[..<range.upperBound])
                    }
                case .endOfStream, .failed, .protocolError:
                    throw TransportFailure(
                        kind: .proxy, detail: "the proxy \(proxy.displayName) closed the connection before answering \(request)")
                case .timedOut:
                    throw TransportFailure(kind: .proxy, detail: "no answer from the proxy \(proxy.displayName) to \(request) within the timeout")
                }
            }
            guard let status = statusCode(head) else {
                throw TransportFailure(kind: .proxy, detail: "the proxy \(proxy.displayName) gave no HTTP answer to \(request)")
            }
            if (200..<300).contains(status) { return }
            if status == 407 { throw proxyAuthenticationFailure(proxy, to: request) }
            let line = String(decoding: head.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
            let reason = line.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? String(status)
            throw TransportFailure(kind: .proxy, detail: "the proxy \(proxy.displayName) refused \(request): \(reason)")
        }

        /// The status code of an HTTP response head (`HTTP/1.x NNN ...`).
        private static func statusCode(_ head: [UInt8]) -> Int? {
            let line = String(decoding: head.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
            let parts = line.split(separator: " ")
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3 else { return nil }
            return Int(parts[1])
        }

        private static func finish(_ connection: SocketConnection, keepAlive: Bool, pool: IdleConnectionPool) {
            if keepAlive {
                pool.put(connection)
            } else {
                connection.close()
            }
        }

        private static func exchange(
            _ bytes: [UInt8], method: String, on connection: SocketConnection, reused: Bool, deadline: ContinuousClock.Instant
        ) -> Result<HTTPResponseParser.Parsed, ExchangeFailure> {
            do {
                try connection.write(bytes, deadline: deadline)
            } catch {
                // A reused connection the server closed meanwhile fails here or at the first read.
                return .failure(reused && error.kind == .connectionLost ? .stale(written: false) : .failure(error))
            }
            var parser = HTTPResponseParser(requestMethod: method)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
            defer { buffer.deallocate() }
            while true {
                switch connection.read(into: buffer, deadline: deadline) {
                case .bytes(let count):
                    parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                    do {
                        if let parsed = try parser.response() { return .success(parsed) }
                    } catch {
                        return .failure(.failure(TransportFailure(kind: .other, detail: "bad HTTP response: \(error.detail)")))
                    }
                case .endOfStream:
                    do {
                        if let parsed = try parser.responseAtEndOfStream() { return .success(parsed) }
                    } catch {
                        return .failure(.failure(TransportFailure(kind: .other, detail: "bad HTTP response: \(error.detail)")))
                    }
                    if reused && !parser.hasReceivedBytes { return .failure(.stale(written: true)) }
                    return .failure(
                        .failure(TransportFailure(kind: .connectionLost, detail: "the server closed the connection before answering")))
                case .timedOut:
                    return .failure(.failure(TransportFailure(kind: .timeout, detail: "no answer within the timeout")))
                case .failed(let code):
                    if reused && !parser.hasReceivedBytes && (code == ECONNRESET || code == EPIPE) {
                        return .failure(.stale(written: true))
                    }
                    return .failure(.failure(TransportFailure(kind: .connectionLost, detail: SocketConnection.describe(code))))
                case .protocolError(let reason):
                    return .failure(.failure(TransportFailure(kind: .connectionLost, detail: reason)))
                }
            }
        }
    }

    /// Idle keep-alive connections by `scheme://host:port`, most recently used first. A connection idle
    /// longer than `maximumIdle` is closed rather than reused: servers drop idle connections
    /// (Node's default after 5 s), and sending on one they are closing loses the request.
    final class IdleConnectionPool: @unchecked Sendable {
        private let lock = NSLock()
        private var idle: [String: [SocketConnection]] = [:]
        /// Resolved addresses by `host:port`, kept until connecting to them fails.
        private var resolved: [String: [SocketConnection.Address]] = [:]

        func addresses(
            _ key: String, resolve: () throws(TransportFailure) -> [SocketConnection.Address]
        ) throws(TransportFailure) -> [SocketConnection.Address] {
            if let known = lock.withLock({ resolved[key] }) { return known }
            let addresses = try resolve()
            lock.withLock { resolved[key] = addresses }
            return addresses
        }

        func forgetAddresses(_ key: String) {
            lock.withLock { resolved[key] = nil }
        }
        let maximumIdle: Duration
        let maximumPerHost: Int

        init(maximumIdle: Duration = .seconds(2), maximumPerHost: Int = 64) {
            self.maximumIdle = maximumIdle
            self.maximumPerHost = maximumPerHost
        }

        func take(_ key: String) -> SocketConnection? {
            let now = ContinuousClock.now
            var stale: [SocketConnection] = []
            defer { stale.forEach { $0.close() } }
            return lock.withLock {
                while let connection = idle[key]?.popLast() {
                    if connection.idleSince.duration(to: now) < maximumIdle && connection.looksReusable {
                        return connection
                    }
                    stale.append(connection)
                }
                return nil
            }
        }

        func put(_ connection: SocketConnection) {
            connection.idleSince = .now
            let extra: SocketConnection? = lock.withLock {
                var list = idle[connection.key, default: []]
                list.append(connection)
                let dropped = list.count > maximumPerHost ? list.removeFirst() : nil
                idle[connection.key] = list
                return dropped
            }
            extra?.close()
        }
    }
#endif
