import EvoformCore
import Foundation
import Testing

@testable import EvoformRemote

/// Reading the proxy variables as curl does: which proxy a URL takes, `no_proxy`, credentials.
@Suite struct ProxyConfigurationTests {
    func configuration(_ environment: [String: String]) -> ProxyConfiguration {
        ProxyConfiguration.from(environment)
    }

    func proxy(_ url: String, _ environment: [String: String]) throws -> ProxyConfiguration.Proxy? {
        try configuration(environment).proxy(for: URL(string: url)!)
    }

    @Test func eachSchemeTakesItsOwnVariableThenAllProxyLowercaseFirst() throws {
        let environment = [
            "http_proxy": "http://h-lower:1", "HTTP_PROXY": "http://h-upper:2", "HTTPS_PROXY": "http://s-upper:3",
            "ALL_PROXY": "http://all-upper:4",
        ]
        #expect(try proxy("http://server", environment)?.host == "h-lower")
        #expect(try proxy("https://server", environment)?.host == "s-upper")
        #expect(try proxy("https://server", environment)?.variable == "HTTPS_PROXY")
        #expect(try proxy("http://server", ["HTTP_PROXY": "http://h-upper:2"])?.host == "h-upper")
        let fallback = ["all_proxy": "proxy.internal:3128", "ALL_PROXY": "http://other:1"]
        #expect(try proxy("http://server", fallback) == .init(host: "proxy.internal", port: 3128, credentials: nil, variable: "all_proxy"))
        #expect(try proxy("https://server", fallback)?.host == "proxy.internal")
        #expect(try proxy("https://server", [:]) == nil)
        #expect(try proxy("https://server", ["https_proxy": "", "http_proxy": "http://h:1"]) == nil)
        // curl's default proxy port; IPv6 literals; a trailing slash.
        #expect(try proxy("http://server", ["http_proxy": "http://proxy/"])?.port == 1080)
        #expect(try proxy("http://server", ["http_proxy": "http://[::1]:3128"]).map { [$0.host, $0.displayName] } == ["::1", "http://[::1]:3128 (http_proxy)"])
    }

    @Test func credentialsComeFromTheUserInfoDecodedAndAreNeverShown() throws {
        let found = try #require(try proxy("https://server", ["https_proxy": "http://alice:s%40cret@proxy:3128"]))
        #expect(found.credentials == Secret("alice:s@cret"))
        #expect(found.authorization == "Basic " + Data("alice:s@cret".utf8).base64EncodedString())
        #expect(found.displayName == "http://proxy:3128 (https_proxy)")
        #expect(!"\(found)".contains("cret"))
        #expect(try proxy("https://server", ["https_proxy": "http://proxy:3128"])?.authorization == nil)
    }

    @Test(arguments: [
        ("https://proxy:3128", "is an https:// proxy URL"), ("socks5://proxy:1080", "uses the socks5:// scheme"),
        ("http://user:secret@proxy:3128/path", "has a path"), ("http://", "is not a proxy URL"),
    ])
    func aProxyURLEvoformCannotUseIsRefusedNamingTheVariableNotTheValue(value: String, reason: String) throws {
        // Only a URL that would go through it meets the error.
        #expect(try proxy("http://server", ["HTTPS_PROXY": value]) == nil)
        #expect(try proxy("https://server.test", ["HTTPS_PROXY": value, "no_proxy": ".test"]) == nil)
        #expect {
            try proxy("https://server", ["HTTPS_PROXY": value])
        } throws: { error in
            guard let error = error as? ProxyConfigurationError else { return false }
            return error.variable == "HTTPS_PROXY" && error.message.hasPrefix("the proxy in HTTPS_PROXY \(reason)")
                && error.message.hasSuffix("fix or unset HTTPS_PROXY") && !error.message.contains("secret")
        }
    }

    @Test(arguments: [
        // (no_proxy, host, excluded)
        ("*", "anything.example", true),
        ("example.com", "example.com", true), ("example.com", "api.example.com", true), (".example.com", "api.example.com", true),
        (".example.com", "example.com", true), ("example.com", "badexample.com", false), ("example.com", "example.com.evil", false),
        ("EXAMPLE.com:8080", "api.example.com", true), ("other.org, example.com", "example.com", true),
        ("127.0.0.1", "127.0.0.1", true), ("0.0.1", "127.0.0.1", false), ("127.0.0.1:8080", "127.0.0.1", true),
        ("::1", "::1", true), ("[::1]:8080", "::1", true), ("localhost", "127.0.0.1", false), ("", "example.com", false),
        ("example.com", "example.com.", true),
    ])
    func noProxyMatchesAHostItsSubdomainsAndIPLiteralsExactly(list: String, host: String, excluded: Bool) throws {
        let found = try proxy("https://\(host.contains(":") ? "[\(host)]" : host)/", ["https_proxy": "http://proxy:1", "no_proxy": list])
        #expect((found == nil) == excluded)
    }

    @Test func noProxyIsReadLowercaseFirst() throws {
        let environment = ["http_proxy": "http://proxy:1", "no_proxy": "a.test", "NO_PROXY": "b.test"]
        #expect(try proxy("http://a.test", environment) == nil)
        #expect(try proxy("http://b.test", environment) != nil)
        #expect(try proxy("http://b.test", ["http_proxy": "http://proxy:1", "NO_PROXY": "b.test"]) == nil)
    }
}

#if os(Linux)
    import EvolutionSimulator

    /// The socket transport through a proxy: absolute-form requests for http, a CONNECT tunnel
    /// with TLS end to end for https, credentials, and the proxy's refusals as errors naming it.
    @Suite struct ProxyTransportTests {
        let support = TLSTransportTests()

        func proxies(_ variable: String, _ value: String, noProxy: String? = nil) throws -> ProxyConfiguration {
            var environment = [variable: value]
            environment["no_proxy"] = noProxy
            return ProxyConfiguration.from(environment)
        }

        func client(_ base: String, _ transport: SocketHTTPTransport) -> EvolutionClient {
            support.client(base, transport: transport, insecure: false)
        }

        @Test(arguments: SimulatedAPIVersion.allCases)
        func plainHTTPGoesToTheProxyInAbsoluteFormWithItsCredentials(version: SimulatedAPIVersion) async throws {
            let proxy = try TestProxy(.requiresCredentials("alice:s3cret"))
            defer { proxy.stop() }
            try await support.withSimulator(version, certificate: nil) { (simulator) async throws in
                let transport = SocketHTTPTransport(proxies: try proxies("http_proxy", proxy.url(credentials: "alice:s3cret")))
                let client = client(simulator.baseURL, transport)
                let desired = DocumentedExample.webhook.desired
                _ = try await client.create(desired)
                let observed = try await client.observe([desired.name: [.webhook]], parallelism: 2)
                #expect(observed[desired.name]?.configuration[.webhookEnabled] == .bool(true))
                let lines = proxy.requestLines
                #expect(lines.contains("POST \(simulator.baseURL)/instance/create HTTP/1.1"), "\(lines)")
                #expect(lines.contains("GET \(simulator.baseURL)/ HTTP/1.1"), "\(lines)")
                #expect(lines.allSatisfy { $0.contains(" \(simulator.baseURL)/") })
                #expect(proxy.heads.allSatisfy { $0.contains("Proxy-Authorization: Basic YWxpY2U6czNjcmV0") })
                // The simulator saw them all, without the proxy's credentials.
                let log = await simulator.requestLog()
                #expect(log.count == lines.count)
            }
        }

        @Test func noProxyListsTheServerSoItIsReachedDirectly() async throws {
            let proxy = try TestProxy()
            defer { proxy.stop() }
            try await support.withSimulator(.v2, certificate: nil) { (simulator) async throws in
                let transport = SocketHTTPTransport(proxies: try proxies("http_proxy", proxy.url(), noProxy: "localhost,127.0.0.1"))
                #expect(try await transport.send(support.request("GET", simulator.baseURL, path: "/")).status == 200)
                #expect(proxy.requestLines.isEmpty)
            }
        }

        @Test(arguments: ["127.0.0.1", "localhost"])
        func httpsGoesThroughACONNECTTunnelVerifiedEndToEnd(host: String) async throws {
            let proxy = try TestProxy(.requiresCredentials("bob:pa:ss"))
            defer { proxy.stop() }
            try await support.withSimulator(.v2) { (simulator) async throws in
                let base = "https://\(host):\(simulator.port)"
                let transport = SocketHTTPTransport(
                    tls: .certificateAuthorities(file: TLSTransportTests.fixture("ca.pem")),
                    proxies: try proxies("HTTPS_PROXY", proxy.url(credentials: "bob:pa%3Ass")))
                let created = try await client(base, transport).create(DocumentedExample.basic.desired)
                #expect(created.serverID != nil)
                #expect(proxy.requestLines.first == "CONNECT \(host):\(simulator.port) HTTP/1.1")
                #expect(proxy.requestLines.allSatisfy { $0.hasPrefix("CONNECT ") })
                #expect(await simulator.requestLog().map(\.method).contains("POST"))
            }
            // Through the tunnel the certificate is still the server's: another name fails the check.
            try await support.withSimulator(.v2, certificate: "wrong-host") { (simulator) async throws in
                let transport = SocketHTTPTransport(
                    tls: .certificateAuthorities(file: TLSTransportTests.fixture("ca.pem")),
                    proxies: try proxies("https_proxy", proxy.url(credentials: "bob:pa%3Ass")))
                do throws(TransportFailure) {
                    _ = try await transport.send(support.request("GET", "https://\(host):\(simulator.port)", path: "/"))
                    Issue.record("accepted wrong-host.test through the tunnel")
                } catch {
                    #expect(error.kind == .tls)
                    #expect(error.detail.hasSuffix("mismatch"))
                }
            }
        }

        @Test(arguments: [("https_proxy", true), ("http_proxy", false)])
        func aProxyAskingForCredentialsIsOneErrorNamingItAndNothingReachesTheServer(variable: String, secure: Bool) async throws {
            let proxy = try TestProxy(.requiresCredentials("alice:s3cret"))
            defer { proxy.stop() }
            try await support.withSimulator(.v2, certificate: secure ? "server" : nil) { (simulator) async throws in
                let tls: TLSVerification? = secure ? .certificateAuthorities(file: TLSTransportTests.fixture("ca.pem")) : nil
                let what = secure ? "CONNECT 127.0.0.1:\(simulator.port)" : "the request"
                for (credentials, advice) in [
                    (nil, "give its user and password in \(variable) (http://USER:PASSWORD@HOST:PORT)"),
                    ("alice:wrong-pass", "it refused the user and password given in \(variable)"),
                ] {
                    let transport = SocketHTTPTransport(tls: tls, proxies: try proxies(variable, proxy.url(credentials: credentials)))
                    do throws(RemoteError) {
                        _ = try await client(simulator.baseURL, transport).create(DocumentedExample.basic.desired)
                        Issue.record("created through a proxy that wants credentials")
                    } catch {
                        guard case .proxy(_, let reason) = error else {
                            Issue.record("expected .proxy, got \(error)")
                            continue
                        }
                        #expect(
                            reason == "the proxy http://127.0.0.1:\(proxy.port) (\(variable)) answered \(what) "
                                + "with 407 Proxy Authentication Required: \(advice)")
                        let message = error.userMessage
                        #expect(message.hasPrefix("cannot reach \(simulator.baseURL) through the proxy (GET /): "), "\(message)")
                        #expect(!message.contains("wrong-pass") && !message.contains(TLSTransportTests.apiKey))
                        #expect(!message.contains("\n"))
                    }
                }
                #expect(await simulator.requestLog().isEmpty)
            }
        }

        @Test func aRefusedCONNECTAndAnAbsentProxyAreErrorsNamingTheProxy() async throws {
            let proxy = try TestProxy(.refusesConnect("403 Forbidden"))
            defer { proxy.stop() }
            try await support.withSimulator(.v2) { (simulator) async throws in
                let transport = SocketHTTPTransport(tls: .acceptAnyCertificate, proxies: try proxies("all_proxy", proxy.url()))
                do throws(TransportFailure) {
                    _ = try await transport.send(support.request("POST", simulator.baseURL, path: "/instance/create", body: "{}"))
                    Issue.record("sent through a refused tunnel")
                } catch {
                    #expect(
                        error
                            == TransportFailure(
                                kind: .proxy,
                                detail: "the proxy http://127.0.0.1:\(proxy.port) (all_proxy) refused CONNECT 127.0.0.1:\(simulator.port): 403 Forbidden"
                            ))
                }
                let absent = try RawHTTPServer.unusedPort()
                let nowhere = SocketHTTPTransport(tls: .acceptAnyCertificate, proxies: try proxies("https_proxy", "127.0.0.1:\(absent)"))
                do throws(TransportFailure) {
                    _ = try await nowhere.send(support.request("GET", simulator.baseURL, path: "/"))
                    Issue.record("no proxy listens there")
                } catch {
                    #expect(error.kind == .proxy)
                    #expect(error.detail.hasPrefix("cannot connect to the proxy http://127.0.0.1:\(absent) (https_proxy): "), "\(error.detail)")
                }
                #expect(await simulator.requestLog().isEmpty)
            }
        }

        @Test func theFactoryHonoursTheEnvironmentsProxiesAndRefusesOnesItCannotUse() async throws {
            let proxy = try TestProxy()
            defer { proxy.stop() }
            try await support.withSimulator(.v2, certificate: nil) { (simulator) async throws in
                let endpoint = ServerEndpoint(url: URL(string: simulator.baseURL)!, apiKey: Secret(TLSTransportTests.apiKey))
                let transport = HTTPTransportFactory.transport(for: endpoint, environment: ["http_proxy": proxy.url()])
                #expect(try await transport.send(support.request("GET", simulator.baseURL, path: "/")).status == 200)
                #expect(proxy.requestLines == ["GET \(simulator.baseURL)/ HTTP/1.1"])
                // A variable for the other scheme is no obstacle.
                #expect(
                    HTTPTransportFactory.connectionSettingsProblem(
                        for: endpoint, environment: ["https_proxy": "https://user:hunter2@proxy:3128"]) == nil)
                let unusable = ["all_proxy": "https://user:hunter2@proxy:3128"]
                let problem = HTTPTransportFactory.connectionSettingsProblem(for: endpoint, environment: unusable)
                #expect(problem?.hasPrefix("the proxy in all_proxy is an https:// proxy URL") == true)
                #expect(problem?.contains("hunter2") == false)
                let refusing = HTTPTransportFactory.transport(for: endpoint, environment: unusable)
                do throws(TransportFailure) {
                    _ = try await refusing.send(support.request("GET", simulator.baseURL, path: "/"))
                    Issue.record("sent despite an unusable proxy variable")
                } catch {
                    #expect(error.kind == .proxy)
                }
            }
        }
    }
#endif
