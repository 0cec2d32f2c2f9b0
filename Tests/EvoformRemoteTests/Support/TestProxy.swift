#if os(Linux)
    import Foundation
    import Glibc

    /// A small forwarding and CONNECT proxy over loopback, for the socket transport's proxy
    /// support: absolute-form requests are forwarded to their origin (with `Connection: close`),
    /// `CONNECT host:port` opens a byte tunnel after `200`. It only ever connects to 127.0.0.1.
    final class TestProxy: @unchecked Sendable {
        enum Policy: Sendable {
            case open
            /// Answers 407 unless `Proxy-Authorization: Basic base64(credentials)` comes along.
            case requiresCredentials(String)
            /// Answers every CONNECT with this status line (e.g. `403 Forbidden`).
            case refusesConnect(String)
        }

        private let server: RawHTTPServer
        var port: Int { server.port }
        /// Every request head the proxy read, in order.
        var heads: [String] { server.requestHeads }
        /// The request lines only.
        var requestLines: [String] { heads.map { $0.components(separatedBy: "\r\n")[0] } }

        init(_ policy: Policy = .open) throws {
            server = try RawHTTPServer { connection in Self.serve(connection, policy: policy) }
        }

        func stop() { server.stop() }

        /// The proxy URL, e.g. `http://127.0.0.1:PORT`, with `user:password@` if given.
        func url(credentials: String? = nil) -> String {
            "http://" + (credentials.map { "\($0)@" } ?? "") + "127.0.0.1:\(port)"
        }

        private static func serve(_ client: RawConnection, policy: Policy) {
            defer { client.close() }
            while let (head, body) = client.readRequestWithBody() {
                let lines = head.components(separatedBy: "\r\n")
                let parts = lines[0].split(separator: " ")
                guard parts.count == 3 else { return }
                let authorization = lines.dropFirst().first { $0.lowercased().hasPrefix("proxy-authorization:") }
                    .map { String($0.dropFirst("proxy-authorization:".count)).trimmingCharacters(in: .whitespaces) }
                if case .requiresCredentials(let credentials) = policy,
                    authorization != "Basic " + Data(credentials.utf8).base64EncodedString()
                {
                    client.send(
                        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                            + "Content-Length: 0\r\n\r\n")
                    continue
                }
                if parts[0] == "CONNECT" {
                    if case .refusesConnect(let status) = policy {
                        client.send("HTTP/1.1 \(status)\r\nContent-Length: 0\r\n\r\n")
                        return
                    }
                    guard let port = parts[1].split(separator: ":").last.flatMap({ Int($0) }),
                        let upstream = connect(port: port)
                    else {
                        client.send("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                        return
                    }
                    client.send("HTTP/1.1 200 Connection established\r\n\r\n")
                    let early = client.takePending()
                    if !early.isEmpty { upstream.send(early) }
                    relay(client, upstream)
                    return
                }
                // Absolute form: http://host:port/path
                guard let url = URL(string: String(parts[1])), url.scheme == "http", let port = url.port,
                    let upstream = connect(port: port)
                else {
                    client.send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    return
                }
                let target = url.path.isEmpty ? "/" : url.path + (url.query.map { "?\($0)" } ?? "")
                var forwarded = "\(parts[0]) \(target) \(parts[2])\r\n"
                for line in lines.dropFirst() {
                    let name = line.prefix { $0 != ":" }.lowercased()
                    if ["proxy-authorization", "connection", "proxy-connection"].contains(name) { continue }
                    forwarded += line + "\r\n"
                }
                forwarded += "Connection: close\r\n\r\n"
                upstream.send(Array(forwarded.utf8) + body)
                pipe(from: upstream, to: client)
                upstream.close()
                return
            }
        }

        private static func connect(port: Int) -> RawConnection? {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard descriptor >= 0, result == 0 else {
                if descriptor >= 0 { Glibc.close(descriptor) }
                return nil
            }
            return RawConnection(descriptor: descriptor) { _ in }
        }

        /// Copies bytes both ways until either side closes.
        private static func relay(_ client: RawConnection, _ upstream: RawConnection) {
            let done = DispatchSemaphore(value: 0)
            let other = Thread {
                pipe(from: upstream, to: client)
                shutdown(client.descriptor, Int32(SHUT_WR))
                done.signal()
            }
            other.start()
            pipe(from: client, to: upstream)
            shutdown(upstream.descriptor, Int32(SHUT_WR))
            done.wait()
            upstream.close()
        }

        private static func pipe(from source: RawConnection, to destination: RawConnection) {
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = recv(source.descriptor, &buffer, buffer.count, 0)
                guard count > 0 else { return }
                destination.send(Array(buffer[0..<count]))
            }
        }
    }
#endif
