#if os(Linux)
    import EvoformCore
    import EvolutionSimulator
    import Foundation
    import Glibc
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
