import Foundation
import Testing

@testable import EvolutionSimulator

/// Serving https (the exchanges themselves are tested from the client side, in
/// `EvoformRemoteTests/TLSTransportTests`, since this module has no TLS client).
@Suite("TLS serving")
struct TLSServingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    static func configuration(certificate: String?, key: String?) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(apiVersion: .v2)
        configuration.tlsCertificateFile = certificate.map(fixture)
        configuration.tlsKeyFile = key.map(fixture)
        return configuration
    }

    /// A TLS 1.2 ClientHello's first bytes: a handshake record (0x16), version 3.1.
    static let clientHelloStart: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03]

    @Test("https is served with a certificate and its key, and the base URL says https")
    func servesHTTPS() async throws {
        let simulator = try await EvolutionSimulator.start(Self.configuration(certificate: "server.pem", key: "server-key.pem"))
        #expect(simulator.baseURL == "https://127.0.0.1:\(simulator.port)")
        await simulator.stop()
    }

    @Test("a half configuration, a missing file or a key of another certificate is refused, naming the file")
    func badConfigurations() async throws {
        await #expect(throws: SimulatorError.invalidConfiguration("a TLS certificate and its key go together")) {
            try await EvolutionSimulator.start(Self.configuration(certificate: nil, key: "server-key.pem"))
        }
        do {
            _ = try await EvolutionSimulator.start(Self.configuration(certificate: "missing.pem", key: "server-key.pem"))
            Issue.record("started without a certificate file")
        } catch let error as SimulatorError {
            #expect(error.description.contains("cannot load the TLS certificate \(Self.fixture("missing.pem"))"))
        }
        do {
            _ = try await EvolutionSimulator.start(Self.configuration(certificate: "wrong-host.pem", key: "server-key.pem"))
            Issue.record("started with a key that does not match the certificate")
        } catch let error as SimulatorError {
            #expect(error.description.contains("cannot use the TLS key \(Self.fixture("server-key.pem"))"))
        }
    }

    @Test("plain HTTP sent to the https port is not answered in HTTP: the connection is closed")
    func plainHTTPToTheTLSPort() async throws {
        try await withSimulatorOnly(Self.configuration(certificate: "server.pem", key: "server-key.pem")) { simulator in
            let port = simulator.port
            let (first, closed) = try await RawHTTPClient.offPool {
                let connection = try RawConnection(port: port)
                try connection.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                let bytes = connection.readAvailable()
                return (bytes, connection.isClosedByPeer())
            }
            // OpenSSL recognises an HTTP request and closes, at most after an alert record (0x15).
            #expect(first.isEmpty || first.first == 0x15)
            #expect(closed)
            #expect(await simulator.requestLog().isEmpty)
        }
    }

    @Test("the plain port answers a TLS ClientHello with a bare 400 at once, not after a timeout")
    func clientHelloToThePlainPort() async throws {
        try await withSimulatorOnly(SimulatorConfiguration(apiVersion: .v2, idleTimeoutMilliseconds: 600_000)) { simulator in
            let port = simulator.port
            let (status, closed) = try await RawHTTPClient.offPool {
                // The read times out long before the simulator's idle timeout would close it.
                let connection = try RawConnection(port: port, timeoutSeconds: 20)
                try connection.send(Self.clientHelloStart)
                return (try connection.readResponse().status, connection.isClosedByPeer())
            }
            #expect(status == 400)
            #expect(closed)
        }
    }

    @Test("the parser refuses bytes that cannot begin a method before the line ends, and waits for those that can")
    func methodPrefix() throws {
        for refused in [Self.clientHelloStart, Array("GETX".utf8), Array("get".utf8)] {
            var parser = HTTPRequestParser()
            parser.append(refused)
            #expect(throws: HTTPParseError.self) { try parser.next() }
        }
        for incomplete in ["G", "GE", "PATC", "M-SEARC", "DELETE", "\r", "\r\nPOS", "GET /x HTTP/1.1\r\nHo"] {
            var parser = HTTPRequestParser()
            parser.append(Array(incomplete.utf8))
            #expect(try parser.next() == nil, "\(incomplete.debugDescription)")
        }
    }

    private func withSimulatorOnly(_ configuration: SimulatorConfiguration, _ body: (EvolutionSimulator) async throws -> Void)
        async throws
    {
        let simulator = try await EvolutionSimulator.start(configuration)
        do {
            try await body(simulator)
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }
}

extension RawConnection {
    /// Whatever the server sends before it pauses or closes (at most one read).
    func readAvailable() -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        return count > 0 ? Array(chunk[0..<count]) : []
    }
}
