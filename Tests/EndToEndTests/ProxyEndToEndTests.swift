#if os(Linux)
    import EvolutionSimulator
    import Foundation
    import Glibc
    import Testing

    /// Proxies end to end: the real binary, with the proxy variables in its environment, through a
    /// small loopback proxy (`CONNECT` tunnels and absolute-form forwarding) to the simulator.
    @Suite(.serialized) struct ProxyEndToEndTests {
        static let fixtures = Harness.repository.appendingPathComponent("Tests/Fixtures/tls")

        static func start(_ version: SimulatedAPIVersion, https: Bool) async throws -> Harness {
            try await Harness.start(version) { configuration in
                configuration.apiKey = "e2e-proxy-global-key"
                if https {
                    configuration.tlsCertificateFile = fixtures.appendingPathComponent("server.pem").path
                    configuration.tlsKeyFile = fixtures.appendingPathComponent("server-key.pem").path
                }
            }
        }

        @Test(arguments: [SimulatedAPIVersion.v1, .v2])
        func verifiedHTTPSThroughAProxyWithCredentialsConvergesAndOnlyTunnelsAreSeen(version: SimulatedAPIVersion) async throws {
            let proxy = try LoopbackProxy(credentials: "carol:hunter2")
            defer { proxy.stop() }
            let harness = try await Self.start(version, https: true)
            try harness.write(manifest: Harness.fleet(4))
            let environment = [
                "SSL_CERT_FILE": Self.fixtures.appendingPathComponent("ca.pem").path,
                "https_proxy": "http://carol:hunter2@127.0.0.1:\(proxy.port)",
                "EVOFORM_LOG": "debug",  // every request traced: never the proxy's credentials
            ]
            let apply = try harness.run(["apply", "--auto-approve"], environment: environment)
            #expect(apply.status == 0, "\(apply.output)\(apply.error)")
            #expect(apply.output.contains("Apply complete: 4 created"))
            let plan = try harness.run(["plan", "--detailed-exitcode"], environment: environment)
            #expect(plan.status == 0, "fresh plan not empty:\n\(plan.output)\(plan.error)")
            await harness.simulator.resetLog()
            let again = try harness.run(["apply", "--auto-approve"], environment: environment)
            #expect(again.status == 0, "\(again.error)")
            #expect(await harness.mutatingRequests().isEmpty)
            let port = harness.environment["EVOLUTION_API_URL"]?.split(separator: ":").last.map(String.init) ?? ""
            #expect(!proxy.requestLines.isEmpty)
            #expect(proxy.requestLines.allSatisfy { $0 == "CONNECT 127.0.0.1:\(port) HTTP/1.1" }, "\(proxy.requestLines)")
            #expect(apply.error.contains("POST /instance/create"), "\(apply.error.prefix(2000))")
            for result in [apply, plan, again] {
                #expect(!(result.output + result.error).contains("hunter2"))
                #expect(!(result.output + result.error).contains(Data("carol:hunter2".utf8).base64EncodedString()))
                #expect(!result.error.contains("Warning: TLS"))
            }
            await harness.stop()
        }

        @Test func plainHTTPGoesThroughTheProxyUnlessNoProxyListsTheServer() async throws {
            let proxy = try LoopbackProxy()
            defer { proxy.stop() }
            let harness = try await Self.start(.v2, https: false)
            try harness.write(manifest: Harness.fleet(2))
            let server = harness.environment["EVOLUTION_API_URL"] ?? ""
            let apply = try harness.run(["apply", "--auto-approve"], environment: ["http_proxy": "127.0.0.1:\(proxy.port)"])
            #expect(apply.status == 0, "\(apply.output)\(apply.error)")
            #expect(proxy.requestLines.contains("POST \(server)/instance/create HTTP/1.1"), "\(proxy.requestLines)")
            let seen = proxy.requestLines.count
            let plan = try harness.run(
                ["plan", "--detailed-exitcode"], environment: ["http_proxy": "127.0.0.1:\(proxy.port)", "NO_PROXY": "localhost,.test,127.0.0.1"])
            #expect(plan.status == 0, "\(plan.output)\(plan.error)")
            #expect(proxy.requestLines.count == seen)
            await harness.stop()
        }

        @Test func aProxyAskingForCredentialsIsOneErrorLineNamingItAndNothingIsSent() async throws {
            let proxy = try LoopbackProxy(credentials: "carol:hunter2")
            defer { proxy.stop() }
            let harness = try await Self.start(.v2, https: true)
            try harness.write(manifest: Harness.fleet(2))
            let server = harness.environment["EVOLUTION_API_URL"] ?? ""
            let port = server.split(separator: ":").last.map(String.init) ?? ""
            let result = try harness.run(
                ["apply", "--auto-approve"],
                environment: [
                    "SSL_CERT_FILE": Self.fixtures.appendingPathComponent("ca.pem").path,
                    "HTTPS_PROXY": "http://carol:wrong@127.0.0.1:\(proxy.port)",
                ])
            #expect(result.status == 1)
            let errors = result.error.split(separator: "\n").filter { $0.hasPrefix("Error:") }
            #expect(errors.count == 1, "\(result.error)")
            #expect(
                errors.first?.contains(
                    "cannot reach \(server) through the proxy (GET /): the proxy http://127.0.0.1:\(proxy.port) (HTTPS_PROXY) "
                        + "answered CONNECT 127.0.0.1:\(port) with 407 Proxy Authentication Required: "
                        + "it refused the user and password given in HTTPS_PROXY") == true, "\(result.error)")
            #expect(!result.error.contains("wrong"))
            #expect(await harness.simulator.requestLog().isEmpty)
            await harness.stop()
        }

        @Test func anHTTPSProxyURLIsRefusedBeforeAnyRequest() async throws {
            let harness = try await Self.start(.v2, https: false)
            try harness.write(manifest: Harness.fleet(1))
            let result = try harness.run(["plan"], environment: ["all_proxy": "https://carol:hunter2@127.0.0.1:9"])
            #expect(result.status == 1)
            #expect(result.error.contains("Error: the proxy in all_proxy is an https:// proxy URL"), "\(result.error)")
            #expect(!result.error.contains("hunter2"))
            #expect(await harness.simulator.requestLog().isEmpty)
            await harness.stop()
        }
    }

    /// A loopback proxy on blocking sockets and threads: `CONNECT` opens a byte tunnel to
    /// 127.0.0.1:port; an absolute-form request is forwarded there with `Connection: close`.
    /// With `credentials`, anything without the matching `Proxy-Authorization: Basic` gets a 407.
    final class LoopbackProxy: @unchecked Sendable {
        let port: Int
        private let listener: Int32
        private let lock = NSLock()
        private var lines: [String] = []
        var requestLines: [String] { lock.withLock { lines } }

        init(credentials: String? = nil) throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: 0)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard descriptor >= 0, bound == 0, listen(descriptor, 64) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
            var actual = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &actual) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            listener = descriptor
            port = Int(UInt16(bigEndian: actual.sin_port))
            let expected = credentials.map { "Basic " + Data($0.utf8).base64EncodedString() }
            let listener = self.listener
            Thread { [self] in
                while true {
                    let client = accept(listener, nil, nil)
                    guard client >= 0 else {
                        close(listener)
                        return
                    }
                    Thread { self.serve(client, expected: expected) }.start()
                }
            }.start()
        }

        func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

        private static func loopback(port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return address
        }

        private func serve(_ client: Int32, expected: String?) {
            defer { close(client) }
            var pending: [UInt8] = []
            while true {
                guard let end = Self.readHead(client, into: &pending) else { return }
                let head = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeFirst(end + 4)
                let fields = head.components(separatedBy: "\r\n")
                let length = fields.compactMap { line -> Int? in
                    line.lowercased().hasPrefix("content-length:") ? Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
                while pending.count < length { guard Self.receive(client, into: &pending) else { return } }
                let body = Array(pending.prefix(length))
                pending.removeFirst(length)
                lock.withLock { lines.append(fields[0]) }
                let authorization = fields.first { $0.lowercased().hasPrefix("proxy-authorization:") }
                    .map { $0.dropFirst(20).trimmingCharacters(in: .whitespaces) }
                if let expected, authorization != expected {
                    Self.send(client, Array("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n".utf8))
                    continue
                }
                let parts = fields[0].split(separator: " ")
                guard parts.count == 3 else { return }
                let port: Int?
                if parts[0] == "CONNECT" {
                    port = parts[1].split(separator: ":").last.flatMap { Int($0) }
                } else {
                    port = URL(string: String(parts[1]))?.port
                }
                guard let port, let upstream = Self.connect(port: port) else {
                    Self.send(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
                    return
                }
                defer { close(upstream) }
                if parts[0] == "CONNECT" {
                    Self.send(client, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
                    if !pending.isEmpty { Self.send(upstream, pending) }
                    let done = DispatchSemaphore(value: 0)
                    Thread {
                        Self.pipe(from: upstream, to: client)
                        shutdown(client, Int32(SHUT_WR))
                        done.signal()
                    }.start()
                    Self.pipe(from: client, to: upstream)
                    shutdown(upstream, Int32(SHUT_WR))
                    done.wait()
                    return
                }
                let url = URL(string: String(parts[1]))!
                var forwarded = "\(parts[0]) \(url.path.isEmpty ? "/" : url.path)\(url.query.map { "?\($0)" } ?? "") \(parts[2])\r\n"
                for field in fields.dropFirst() where !["proxy-authorization", "connection"].contains(field.prefix { $0 != ":" }.lowercased()) {
                    forwarded += field + "\r\n"
                }
                Self.send(upstream, Array((forwarded + "Connection: close\r\n\r\n").utf8) + body)
                Self.pipe(from: upstream, to: client)
                return
            }
        }

        private static func readHead(_ descriptor: Int32, into pending: inout [UInt8]) -> Int? {
            while true {
                if pending.count >= 4 {
                    for index in 0...(pending.count - 4)
                    where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
                        return index
                    }
                }
                guard receive(descriptor, into: &pending) else { return nil }
            }
        }

        private static func receive(_ descriptor: Int32, into pending: inout [UInt8]) -> Bool {
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { return false }
            pending += buffer[0..<count]
            return true
        }

        private static func send(_ descriptor: Int32, _ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                guard count > 0 else { return }
                offset += count
            }
        }

        private static func pipe(from source: Int32, to destination: Int32) {
            var pending: [UInt8] = []
            while receive(source, into: &pending) {
                send(destination, pending)
                pending.removeAll(keepingCapacity: true)
            }
        }

        private static func connect(port: Int) -> Int32? {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopback(port: port)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard descriptor >= 0, result == 0 else {
                if descriptor >= 0 { close(descriptor) }
                return nil
            }
            return descriptor
        }
    }
#endif
