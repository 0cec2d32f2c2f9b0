import Foundation
import Testing

@testable import EvolutionSimulator

@Suite("Test hooks")
struct TestHookTests {
    @Test("the request log records method, path, status, instance and mutation; /__sim/ is not logged")
    func requestLog() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v2)) { simulator, client in
            _ = try await client.call("POST", "/instance/create", json: #"{"instanceName":"a b","integration":"WHATSAPP-BAILEYS"}"#)
            _ = try await client.call("GET", "/instance/fetchInstances?instanceName=a%20b")
            _ = try await client.call("GET", "/webhook/find/a%20b")
            _ = try await client.call("GET", "/__sim/requests")
            _ = try await client.call("GET", "/nowhere")
            let log = await simulator.requestLog()
            #expect(
                log == [
                    SimulatedRequest(
                        method: "POST", path: "/instance/create", status: 201, instance: "a b", isMutating: true,
                        route: "POST /instance/create"),
                    SimulatedRequest(
                        method: "GET", path: "/instance/fetchInstances", query: "instanceName=a%20b", status: 200,
                        instance: "a b", isMutating: false, route: "GET /instance/fetchInstances"),
                    SimulatedRequest(
                        method: "GET", path: "/webhook/find/a%20b", status: 200, instance: "a b", isMutating: false,
                        route: "GET /webhook/find/:instanceName"),
                    SimulatedRequest(method: "GET", path: "/nowhere", status: 404, instance: nil, isMutating: false),
                ])
            let counters = await simulator.routeCounters()
            #expect(counters["POST /instance/create"] == 1)
            #expect(counters["unmatched"] == 1)
            let overHTTP = try await client.call("GET", "/__sim/counters")
            #expect(overHTTP.json?["GET /webhook/find/:instanceName"] == 1)
            await simulator.resetLog()
            #expect(await simulator.requestLog().isEmpty)
            #expect(await simulator.routeCounters().isEmpty)
            #expect(await simulator.instanceNames() == ["a b"])
        }
    }

    @Test("setConnectionState drives the state machine and rejects unknown states")
    func connectionState() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v1)) { simulator, client in
            try await simulator.createOutOfBand(instanceName: "a", token: "t")
            try await simulator.setConnectionState("connecting", of: "a")
            #expect(try await client.call("GET", "/instance/connectionState/a", apiKey: "t").json?["instance"]?["state"] == "connecting")
            try await simulator.setConnectionState("open", of: "a")
            #expect(await simulator.connectionState(of: "a") == "open")
            try await simulator.setConnectionState("close", of: "a")
            #expect(await simulator.connectionState(of: "a") == "close")
            await #expect(throws: SimulatorError.invalidConnectionState("paired")) {
                try await simulator.setConnectionState("paired", of: "a")
            }
            await #expect(throws: SimulatorError.unknownInstance("ghost")) {
                try await simulator.setConnectionState("open", of: "ghost")
            }
            let overHTTP = try await client.call("PUT", "/__sim/instances/a/state", json: #"{"state":"open"}"#)
            #expect(overHTTP.status == 200)
            #expect(await simulator.connectionState(of: "a") == "open")
        }
    }

    @Test("tamper merges a find-shaped patch into the stored record (v1)")
    func tamperV1() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v1)) { simulator, client in
            _ = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"a","webhook":"https://h.example.com","events":["CALL"]}"#)
            try await simulator.tamper(instance: "a", section: .webhook, patch: Data(#"{"url":"https://evil.example.com"}"#.utf8))
            #expect(
                try await client.call("GET", "/webhook/find/a").json
                    == json(#"{"enabled":true,"url":"https://evil.example.com","events":["CALL"]}"#))
            try await simulator.tamper(instance: "a", section: .settings, patch: Data(#"{"groups_ignore":false}"#.utf8))
            #expect(try await client.call("GET", "/settings/find/a").json?["groups_ignore"] == false)
            try await simulator.tamper(instance: "a", section: .webhook, patch: Data("null".utf8))
            #expect(try await client.call("GET", "/webhook/find/a").json?["url"] == "")
            await #expect(throws: SimulatorError.self) {
                try await simulator.tamper(instance: "a", section: .chatwoot, patch: Data("[1]".utf8))
            }
            await #expect(throws: SimulatorError.unknownInstance("ghost")) {
                try await simulator.tamper(instance: "ghost", section: .chatwoot, patch: Data("{}".utf8))
            }
        }
    }

    @Test("tamper on v2 works on the rows, even for sections never set")
    func tamperV2() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v2)) { simulator, client in
            try await simulator.createOutOfBand(instanceName: "a", token: nil)
            #expect(try await client.call("GET", "/webhook/find/a").json == .null)
            try await simulator.tamper(
                instance: "a", section: .webhook, patch: Data(#"{"url":"https://drift.example.com","events":["CALL"]}"#.utf8))
            let hook = try await client.call("GET", "/webhook/find/a").json
            #expect(hook?["url"] == "https://drift.example.com")
            #expect(hook?["enabled"] == true)
            #expect(hook?["events"] == ["CALL"])
            let overHTTP = try await client.call("PATCH", "/__sim/instances/a/settings", json: #"{"msgCall":"drifted"}"#)
            #expect(overHTTP.status == 200)
            #expect(try await client.call("GET", "/settings/find/a").json?["msgCall"] == "drifted")
            try await simulator.tamper(instance: "a", section: .chatwoot, patch: Data(#"{"accountId":"7","enabled":false}"#.utf8))
            #expect(try await client.call("GET", "/chatwoot/find/a").json?["accountId"] == "7")
        }
    }

    @Test("out-of-band create and delete, in process and over /__sim/")
    func outOfBand() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v2)) { simulator, client in
            try await simulator.createOutOfBand(instanceName: "a", token: "tok-a")
            await #expect(throws: SimulatorError.instanceExists("a")) {
                try await simulator.createOutOfBand(instanceName: "a", token: nil)
            }
            let row = try await client.call("GET", "/instance/fetchInstances?instanceName=a").json?.arrayValue?.first
            #expect(row?["token"] == "tok-a")
            #expect(row?["Setting"]?["groupsIgnore"] == false)
            #expect(try await client.call("POST", "/__sim/instances", json: #"{"instanceName":"b"}"#).status == 201)
            #expect(try await client.call("GET", "/__sim/instances").json == ["a", "b"])
            #expect(try await client.call("DELETE", "/__sim/instances/a").status == 200)
            try await simulator.deleteOutOfBand(instanceName: "b")
            #expect(await simulator.instanceNames().isEmpty)
            #expect(await simulator.requestLog().count == 1)
            await #expect(throws: SimulatorError.unknownInstance("b")) { try await simulator.deleteOutOfBand(instanceName: "b") }
        }
    }

    @Test("/__sim/ needs the global key and never answers API routes")
    func hookAuthentication() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v2)) { _, client in
            let unauthorized = try await client.call("GET", "/__sim/requests", apiKey: .some(nil))
            #expect(unauthorized.status == 401)
            #expect(try await client.call("GET", "/__sim/instance/fetchInstances").status == 404)
            #expect(try await client.call("POST", "/__sim/reset", json: #"{"instances":true}"#).status == 200)
        }
    }
}

@Suite("QR code image")
struct QRCodeImageTests {
    @Test("the PNG decodes to a square 1-bit image whose pattern depends on the code")
    func pngDecodes() throws {
        let image = try #require(PNGInspector.decode(QRCodeImage.png(for: "2@abc")))
        let side = (QRCodeImage.modules + 2 * QRCodeImage.quietZone) * QRCodeImage.scale
        #expect(image.width == side)
        #expect(image.height == side)
        #expect(image.bitDepth == 1)
        #expect(image.rows.count == side)
        #expect(QRCodeImage.png(for: "2@abc") == QRCodeImage.png(for: "2@abc"))
        #expect(QRCodeImage.moduleGrid(for: "2@abc") != QRCodeImage.moduleGrid(for: "2@abd"))
        // The top-left finder square is dark at its corner, the quiet zone is white.
        let grid = QRCodeImage.moduleGrid(for: "2@abc")
        #expect(grid[0][0] && grid[6][6] && !grid[1][1] && grid[3][3])
        #expect(image.rows[0].allSatisfy { $0 == 0xFF })
    }

    @Test("a damaged PNG is recognised as invalid")
    func inspectorRejectsDamage() {
        var bytes = QRCodeImage.png(for: "2@abc")
        bytes[40] ^= 0xFF
        #expect(!PNGInspector.isValid(bytes))
    }
}
