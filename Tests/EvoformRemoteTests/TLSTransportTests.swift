#if os(Linux)
    import EvoformCore
    import EvolutionSimulator
    import Foundation
    import Testing

    @testable import EvoformRemote

    /// https through `SocketHTTPTransport` and the system's OpenSSL, against the simulator serving
    /// the test certificates of `Tests/Fixtures/tls` (signed by a test CA no system trusts).
    @Suite struct TLSTransportTests {
        static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tls")
        static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

        static let apiKey = "sim-global-key-TLS"

        /// Runs `body` against an https simulator serving `certificate` (or a plain one).
        func withSimulator<T>(
            _ version: SimulatedAPIVersion = .v2, certificate: String? = "server", _ body: (EvolutionSimulator) async throws -> T
        ) async throws -> T {
            var configuration = SimulatorConfiguration(apiVersion: version, apiKey: Self.apiKey)
            if let certificate {
                configuration.tlsCertificateFile = Self.fixture("\(certificate).pem")
                configuration.tlsKeyFile = Self.fixture("\(certificate)-key.pem")
            }
            let simulator = try await EvolutionSimulator.start(configuration)
            do {
                let result = try await body(simulator)
                await simulator.stop()
                return result
            } catch {
                await simulator.stop()
                throw error
            }
        }

        func request(_ method: String, _ base: String, path: String, body: String? = nil) -> HTTPRequest {
            HTTPRequest(
                method: method, url: URL(string: base + path)!,
                headers: ["apikey": Self.apiKey, "Content-Type": "application/json"], body: body.map { Data($0.utf8) },
                timeoutSeconds: 10)
        }

        func client(_ base: String, transport: any HTTPTransport, key: String = apiKey, insecure: Bool = true) -> EvolutionClient {
            EvolutionClient(
                endpoint: ServerEndpoint(url: URL(string: base)!, apiKey: Secret(key), version: .auto, timeoutSeconds: 5, insecure: insecure),
                transport: transport, timing: .instant)
        }

        @Test(arguments: SimulatedAPIVersion.allCases)
        func anInsecureClientTalksToTheTestCAServerOnOneKeptAliveConnection(version: SimulatedAPIVersion) async throws {
            try await withSimulator(version) { simulator in
                #expect(simulator.baseURL.hasPrefix("https://127.0.0.1:"))
                // Idle connections stay reusable however slowly a loaded machine runs the test.
                let transport = SocketHTTPTransport(maximumIdle: .seconds(3600), tls: .acceptAnyCertificate)
                for _ in 0..<3 {
                    let response = try await transport.send(request("GET", simulator.baseURL, path: "/"))
                    #expect(response.status == 200)
                    let root = try JSONValue(parsing: response.body)
                    #expect(root["manager"]?.stringValue == "\(simulator.baseURL)/manager")
                }
                #expect(await simulator.connectionsAccepted() == 1)
                let create =
                    version == .v1
                    ? #"{"instanceName":"tls01","token":"tok-tls-01"}"#
                    : #"{"instanceName":"tls01","token":"tok-tls-01","integration":"WHATSAPP-BAILEYS"}"#
                let created = try await transport.send(request("POST", simulator.baseURL, path: "/instance/create", body: create))
                #expect(created.status == 201)
                #expect(await simulator.connectionsAccepted() == 1)
                let deleted = try await transport.send(request("DELETE", simulator.baseURL, path: "/instance/delete/tls01"))
                #expect(deleted.status == 200)
                #expect(try await transport.send(request("GET", simulator.baseURL, path: "/")).status == 200)
                #expect(await simulator.connectionsAccepted() == 1)
                let log = await simulator.requestLog()
                #expect(log.map(\.method) == ["GET", "GET", "GET", "POST", "DELETE", "GET"])
            }
        }

        @Test func largeBodiesCrossManyTLSRecordsBothWays() async throws {
            try await withSimulator(.v2) { simulator in
                let names = (0..<400).map { "bulk\($0)" }
                for name in names { try await simulator.createOutOfBand(instanceName: name, token: "token-\(name)") }
                let transport = SocketHTTPTransport(tls: .acceptAnyCertificate)
                let list = try await transport.send(request("GET", simulator.baseURL, path: "/instance/fetchInstances"))
                #expect(list.status == 200)
                #expect(list.body.count > 100_000)
                #expect(try JSONValue(parsing: list.body).arrayValue?.count == 400)
                // A 1 MB body: the server reads all of it (a JSON it rejects), then answers.
                let padding = String(repeating: "x", count: 1_000_000)
                let big = try await transport.send(
                    request("POST", simulator.baseURL, path: "/instance/create", body: #"{"instanceName":"big","note":"\#(padding)"}"#))
                #expect(big.status == 400)
            }
        }

        @Test(arguments: SimulatedAPIVersion.allCases)
        func theClientCreatesAndObservesOverInsecureTLS(version: SimulatedAPIVersion) async throws {
            try await withSimulator(version) { simulator in
                let client = client(simulator.baseURL, transport: SocketHTTPTransport(tls: .acceptAnyCertificate))
                #expect(try await client.apiVersion() == (version == .v1 ? .v1 : .v2))
                let desired = DocumentedExample.webhook.desired
                let created = try await client.create(desired)
                #expect(created.serverID != nil)
                let observed = try await client.observe([desired.name: [.webhook]], parallelism: 4)
                #expect(observed[desired.name]?.configuration[.webhookEnabled] == .bool(true))
            }
        }

        @Test func theFactoryRoutesEveryURLToTheSocketTransportWithTheRightVerification() {
            let key = Secret("k")
            let insecure = ServerEndpoint(url: URL(string: "https://127.0.0.1:8443")!, apiKey: key, insecure: true)
            let verified = ServerEndpoint(url: URL(string: "https://127.0.0.1:8443")!, apiKey: key)
            let plain = ServerEndpoint(url: URL(string: "http://127.0.0.1:8080")!, apiKey: key, insecure: true)
            #expect(HTTPTransportFactory.socketTLSVerification(for: insecure) == .acceptAnyCertificate)
            #expect(HTTPTransportFactory.socketTLSVerification(for: verified) == .systemTrustStore)
            #expect(HTTPTransportFactory.socketTLSVerification(for: plain) == nil)
            // With or without a proxy: the socket transport (it goes through the proxy itself).
            for environment in [[:], ["https_proxy": "http://proxy:3128"], ["ALL_PROXY": "http://proxy:3128"]] {
                for endpoint in [insecure, verified, plain] {
                    #expect(HTTPTransportFactory.transport(for: endpoint, environment: environment) is SocketHTTPTransport)
                    #expect(HTTPTransportFactory.connectionSettingsProblem(for: endpoint, environment: environment) == nil)
                }
            }
        }

        @Test(arguments: ["GET", "POST"])
        func aPlainHTTPServerOnAnHTTPSURLIsAClearTLSErrorNamingTheServerAndNothingIsSent(method: String) async throws {
            try await withSimulator(.v2, certificate: nil) { simulator in
                let base = simulator.baseURL.replacingOccurrences(of: "http://", with: "https://")
                let transport = SocketHTTPTransport(tls: .acceptAnyCertificate)
                do throws(TransportFailure) {
                    _ = try await transport.send(request(method, base, path: "/", body: method == "POST" ? "{}" : nil))
                    Issue.record("expected a TLS failure")
                } catch {
                    #expect(error.kind == .tls)
                    #expect(error.detail.contains("the server answered in plain HTTP"))
                }
                let client = client(base, transport: transport)
                do throws(RemoteError) {
                    _ = try await client.create(DocumentedExample.webhook.desired)
                    Issue.record("expected a TLS failure")
                } catch {
                    // Not "outcome unknown": the handshake failed before anything was sent.
                    guard case .tlsHandshake = error else {
                        Issue.record("expected tlsHandshake, got \(error)")
                        return
                    }
                    let message = error.userMessage
                    #expect(message.contains("the TLS handshake with \(base) failed"))
                    #expect(message.contains("the server answered in plain HTTP"))
                    #expect(!message.contains(Self.apiKey))
                    #expect(!message.contains("support01-token"))
                }
                #expect(await simulator.requestLog().filter(\.isMutating).isEmpty)
            }
        }

        @Test func aServerThatNeverAnswersTheHandshakeTimesOutAsATLSFailure() async throws {
            let server = try RawHTTPServer { connection in
                _ = connection.readRequest()  // never a complete head: waits until the client leaves
                connection.close()
            }
            defer { server.stop() }
            do {
                _ = try await SocketHTTPTransport(tls: .acceptAnyCertificate).send(
                    HTTPRequest(method: "GET", url: URL(string: "https://127.0.0.1:\(server.port)/")!, timeoutSeconds: 1))
                Issue.record("expected a failure")
            } catch {
                #expect(error == TransportFailure(kind: .tls, detail: "no TLS answer within the timeout"))
            }
        }

        @Test func aPlainTransportRefusesHTTPSAndTheSimulatorRefusesAHalfConfiguration() async throws {
            do {
                _ = try await SocketHTTPTransport().send(
                    HTTPRequest(method: "GET", url: URL(string: "https://127.0.0.1:9/")!, timeoutSeconds: 1))
                Issue.record("expected a failure")
            } catch {
                #expect(error.kind == .tls)
            }
            var configuration = SimulatorConfiguration(apiVersion: .v2)
            configuration.tlsCertificateFile = Self.fixture("server.pem")
            await #expect(throws: SimulatorError.invalidConfiguration("a TLS certificate and its key go together")) {
                try await EvolutionSimulator.start(configuration)
            }
        }
    }
#endif

#if os(Linux)
    /// `--ca-file`: verification against a given CA, with the host name (or IP address) check.
    @Suite struct TLSVerificationTests {
        let support = TLSTransportTests()

        func send(_ base: String, caFile: String, method: String = "GET") async throws(TransportFailure) -> HTTPResponse {
            try await SocketHTTPTransport(tls: .certificateAuthorities(file: TLSTransportTests.fixture(caFile))).send(
                support.request(method, base, path: "/", body: method == "POST" ? "{}" : nil))
        }

        @Test(arguments: ["127.0.0.1", "localhost"])
        func theTestCAVerifiesTheServerByAddressAndByName(host: String) async throws {
            try await support.withSimulator(.v2) { simulator in
                let base = "https://\(host):\(simulator.port)"
                #expect(try await send(base, caFile: "ca.pem").status == 200)
                // A POST the server routes nowhere: verified, sent, answered.
                #expect(try await send(base, caFile: "ca.pem", method: "POST").status == 404)
                let client = support.client(
                    base, transport: SocketHTTPTransport(tls: .certificateAuthorities(file: TLSTransportTests.fixture("ca.pem"))),
                    insecure: false)
                let created = try await client.create(DocumentedExample.basic.desired)
                #expect(created.serverID != nil)
            }
        }

        @Test func anotherCAIsACertificateErrorNamingTheServerAndNothingIsSent() async throws {
            try await support.withSimulator(.v2) { simulator in
                do throws(TransportFailure) {
                    _ = try await send(simulator.baseURL, caFile: "other-ca.pem")
                    Issue.record("verified against a CA that signed nothing")
                } catch {
                    #expect(error == TransportFailure(kind: .tls, detail: "certificate verify failed: unable to get local issuer certificate"))
                }
                let client = support.client(
                    simulator.baseURL,
                    transport: SocketHTTPTransport(tls: .certificateAuthorities(file: TLSTransportTests.fixture("other-ca.pem"))),
                    insecure: false)
                do throws(RemoteError) {
                    _ = try await client.create(DocumentedExample.basic.desired)
                    Issue.record("created through an unverified server")
                } catch {
                    let message = error.userMessage
                    #expect(message.hasPrefix("the TLS handshake with \(simulator.baseURL) failed (GET /): certificate verify failed"))
                    #expect(!message.contains(TLSTransportTests.apiKey) && !message.contains("sales01-token"))
                }
                #expect(await simulator.requestLog().isEmpty)
            }
        }

        @Test(arguments: [("127.0.0.1", "IP address mismatch"), ("localhost", "hostname mismatch")])
        func aCertificateForAnotherNameFailsTheHostCheck(host: String, reason: String) async throws {
            try await support.withSimulator(.v2, certificate: "wrong-host") { (simulator) async throws in
                do throws(TransportFailure) {
                    _ = try await send("https://\(host):\(simulator.port)", caFile: "ca.pem")
                    Issue.record("accepted a certificate for wrong-host.test on \(host)")
                } catch {
                    #expect(error == TransportFailure(kind: .tls, detail: "certificate verify failed: \(reason)"))
                }
                // The same certificate is fine when verification is off.
                let insecure = SocketHTTPTransport(tls: .acceptAnyCertificate)
                #expect(try await insecure.send(support.request("GET", "https://\(host):\(simulator.port)", path: "/")).status == 200)
            }
        }

        @Test func anUnreadableCAFileIsAClearTLSFailureAndTheFactoryReportsIt() async throws {
            let missing = TLSTransportTests.fixture("missing-ca.pem")
            do throws(TransportFailure) {
                _ = try await send("https://127.0.0.1:9", caFile: "missing-ca.pem")
                Issue.record("expected a failure")
            } catch {
                #expect(error.kind == .tls)
                #expect(error.detail.hasPrefix("cannot load the CA file \(missing)"))
            }
            let endpoint = ServerEndpoint(url: URL(string: "https://127.0.0.1:9")!, apiKey: Secret("k"), caFile: missing)
            #expect(HTTPTransportFactory.socketTLSVerification(for: endpoint) == .certificateAuthorities(file: missing))
            #expect(
                HTTPTransportFactory.connectionSettingsProblem(for: endpoint, environment: [:])?.hasPrefix(
                    "--ca-file (server.caFile) cannot be used: cannot load the CA file \(missing)") == true)
            var both = endpoint
            both.insecure = true
            #expect(HTTPTransportFactory.socketTLSVerification(for: both) == .acceptAnyCertificate)
            var plain = endpoint
            plain.url = URL(string: "http://127.0.0.1:9")!
            #expect(HTTPTransportFactory.socketTLSVerification(for: plain) == nil)
        }
    }
#endif
