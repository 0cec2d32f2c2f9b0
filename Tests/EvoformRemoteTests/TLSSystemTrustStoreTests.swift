#if os(Linux)
    import EvoformCore
    import EvolutionSimulator
    import Foundation
    import Glibc
    import SystemOpenSSL
    import Testing

    @testable import EvoformRemote

    /// https verified against the system's trust store (`TLSVerification.systemTrustStore`, the
    /// default): OpenSSL reads `SSL_CERT_FILE` when the transport's context is made, so a
    /// transport made while it names the test CA trusts the simulator, whatever the environment
    /// says later. The environment is changed only in the one test that needs it (serialized,
    /// and restored before any request); end-to-end tests pass it to the child process instead.
    @Suite(.serialized) struct TLSSystemTrustStoreTests {
        let support = TLSTransportTests()

        /// Transports made while `SSL_CERT_FILE` names each file in turn, then the variable is
        /// restored: one `setenv` adds it (or it exists), the others replace its value in place.
        static func transports(trusting files: [String]) -> [SocketHTTPTransport] {
            let previous = getenv("SSL_CERT_FILE").map { String(cString: $0) }
            let transports = files.map { file in
                setenv("SSL_CERT_FILE", TLSTransportTests.fixture(file), 1)
                if case .success(let library) = OpenSSLLibrary.shared {
                    #expect(SystemTrustStore.current(library) == .openSSLDefaults)
                }
                return SocketHTTPTransport(maximumIdle: .seconds(3600), tls: .systemTrustStore)
            }
            if let previous { setenv("SSL_CERT_FILE", previous, 1) } else { unsetenv("SSL_CERT_FILE") }
            return transports
        }

        func get(_ base: String, over transport: SocketHTTPTransport, method: String = "GET") async throws(TransportFailure)
            -> HTTPResponse
        {
            try await transport.send(support.request(method, base, path: "/", body: method == "POST" ? "{}" : nil))
        }

        @Test func theStoreIsReadWhenTheTransportIsMadeVerifiesByAddressAndNameAndChecksTheHost() async throws {
            let made = Self.transports(trusting: ["ca.pem", "other-ca.pem"])
            let (trusted, untrusted) = (made[0], made[1])
            try await support.withSimulator(.v2) { simulator in
                for host in ["127.0.0.1", "localhost"] {
                    let base = "https://\(host):\(simulator.port)"
                    #expect(try await get(base, over: trusted).status == 200)
                    // A POST the server routes nowhere: verified, sent, answered.
                    #expect(try await get(base, over: trusted, method: "POST").status == 404)
                }
                let client = support.client(simulator.baseURL, transport: trusted, insecure: false)
                let created = try await client.create(DocumentedExample.basic.desired)
                #expect(created.serverID != nil)
                let sent = await simulator.requestLog().count

                do throws(TransportFailure) {
                    _ = try await get(simulator.baseURL, over: untrusted, method: "POST")
                    Issue.record("verified against a store without the test CA")
                } catch {
                    #expect(error == TransportFailure(kind: .tls, detail: "certificate verify failed: unable to get local issuer certificate"))
                }
                #expect(await simulator.requestLog().count == sent)
            }
            try await support.withSimulator(.v2, certificate: "wrong-host") { (simulator) async throws in
                for (host, reason) in [("127.0.0.1", "IP address mismatch"), ("localhost", "hostname mismatch")] {
                    do throws(TransportFailure) {
                        _ = try await get("https://\(host):\(simulator.port)", over: trusted)
                        Issue.record("accepted a certificate for wrong-host.test on \(host)")
                    } catch {
                        #expect(error == TransportFailure(kind: .tls, detail: "certificate verify failed: \(reason)"))
                    }
                }
                #expect(await simulator.requestLog().isEmpty)
            }
        }

        /// A directory of `<subject hash>.0` files, like /etc/ssl/certs, holding these fixtures.
        static func hashedDirectory(_ files: [String: String]) throws -> String {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evoform-ca-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, fixture) in files {
                try FileManager.default.copyItem(
                    at: TLSTransportTests.fixtures.appendingPathComponent(fixture), to: directory.appendingPathComponent(name))
            }
            return directory.path
        }

        @Test func aHashedDirectoryIsUsedAloneUnlessTheEnvironmentNamesAStore() throws {
            let hashed = try Self.hashedDirectory(["8260964d.0": "ca.pem", "README": "README.md"])
            let flat = try Self.hashedDirectory(["ca-bundle.crt": "ca.pem", "8260964d.pem": "ca.pem", "8260964g.0": "ca.pem"])
            defer { for path in [hashed, flat] { try? FileManager.default.removeItem(atPath: path) } }
            #expect(SystemTrustStore.choose(anyVariableSet: false, defaultDirectory: hashed) == .hashedDirectory(hashed))
            #expect(SystemTrustStore.choose(anyVariableSet: true, defaultDirectory: hashed) == .openSSLDefaults)
            #expect(SystemTrustStore.choose(anyVariableSet: false, defaultDirectory: flat) == .openSSLDefaults)
            #expect(SystemTrustStore.choose(anyVariableSet: false, defaultDirectory: hashed + "/missing") == .openSSLDefaults)
            #expect(SystemTrustStore.choose(anyVariableSet: false, defaultDirectory: nil) == .openSSLDefaults)
            for name in ["8260964d.0", "002c0b4f.12"] { #expect(SystemTrustStore.isHashedName(name), "\(name)") }
            for name in ["8260964d.r0", "8260964d", "8260964d.", "ca.pem", "8260964g.0", "8260964d.0.pem", "８260964d.0"] {
                #expect(!SystemTrustStore.isHashedName(name), "\(name)")
            }
        }

        @Test func aHashedDirectoryWithTheTestCAVerifiesWithTheHostCheckAndOneWithoutItRefuses() async throws {
            // 8260964d and 8614e47f: the subject hashes of ca.pem and other-ca.pem (`openssl x509 -hash`).
            let trusting = try Self.hashedDirectory(["8260964d.0": "ca.pem"])
            let other = try Self.hashedDirectory(["8614e47f.0": "other-ca.pem"])
            defer { for path in [trusting, other] { try? FileManager.default.removeItem(atPath: path) } }
            let trusted = SocketHTTPTransport(maximumIdle: .seconds(3600), trustStore: .hashedDirectory(trusting))
            let untrusted = SocketHTTPTransport(trustStore: .hashedDirectory(other))
            try await support.withSimulator(.v2) { (simulator) async throws in
                for host in ["127.0.0.1", "localhost"] {
                    #expect(try await get("https://\(host):\(simulator.port)", over: trusted).status == 200)
                }
                do throws(TransportFailure) {
                    _ = try await get(simulator.baseURL, over: untrusted, method: "POST")
                    Issue.record("verified against a directory without the test CA")
                } catch {
                    #expect(error == TransportFailure(kind: .tls, detail: "certificate verify failed: unable to get local issuer certificate"))
                }
                #expect(await simulator.requestLog().count == 2)
            }
            try await support.withSimulator(.v2, certificate: "wrong-host") { (simulator) async throws in
                do throws(TransportFailure) {
                    _ = try await get("https://localhost:\(simulator.port)", over: trusted)
                    Issue.record("accepted a certificate for wrong-host.test on localhost")
                } catch {
                    #expect(error == TransportFailure(kind: .tls, detail: "certificate verify failed: hostname mismatch"))
                }
            }
        }

        @Test func theRealSystemStoreDoesNotTrustTheTestCAAndTheClientSaysWhatToDo() async throws {
            try await support.withSimulator(.v2) { simulator in
                let transport = SocketHTTPTransport(tls: .systemTrustStore)
                let client = support.client(simulator.baseURL, transport: transport, insecure: false)
                do throws(RemoteError) {
                    _ = try await client.create(DocumentedExample.basic.desired)
                    Issue.record("the system store trusted the test CA")
                } catch {
                    guard case .tlsHandshake = error else {
                        Issue.record("expected tlsHandshake, got \(error)")
                        return
                    }
                    let message = error.userMessage
                    #expect(
                        message.hasPrefix(
                            "the TLS handshake with \(simulator.baseURL) failed (GET /): "
                                + "certificate verify failed: unable to get local issuer certificate. "),
                        "\(message)")
                    #expect(message.contains("trust its CA in the system store or pass --ca-file with it, or --insecure"))
                    #expect(!message.contains("\n"))
                    #expect(!message.contains(TLSTransportTests.apiKey))
                }
                #expect(await simulator.requestLog().isEmpty)
            }
        }
    }
#endif
