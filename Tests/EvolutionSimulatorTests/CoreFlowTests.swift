import Foundation
import Testing

@testable import EvolutionSimulator

@Suite("Core flow over HTTP")
struct CoreFlowTests {
    @Test("v1: create, fetch, set and find every section, delete")
    func v1Lifecycle() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v1)) { simulator, client in
            let created = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"sales01","token":"tok-1","qrcode":false}"#)
            #expect(created.status == 201)
            #expect(created.json?["hash"] == json(#"{"apikey":"tok-1"}"#))
            #expect(created.json?["instance"]?["status"] == "created")

            let fetched = try await client.call("GET", "/instance/fetchInstances")
            #expect(fetched.status == 200)
            #expect(fetched.json?.arrayValue?.count == 1)
            #expect(fetched.json?.arrayValue?.first?["instance"]?["apikey"] == "tok-1")

            let hook = try await client.call(
                "POST", "/webhook/set/sales01",
                json: #"{"enabled":true,"url":"https://hooks.example.com/a","events":["MESSAGES_UPSERT"]}"#)
            #expect(hook.status == 201)
            let foundHook = try await client.call("GET", "/webhook/find/sales01")
            #expect(foundHook.json == json(#"{"enabled":true,"url":"https://hooks.example.com/a","events":["MESSAGES_UPSERT"]}"#))

            let settings = try await client.call(
                "POST", "/settings/set/sales01",
                json: #"{"reject_call":true,"msg_call":"no","groups_ignore":false,"always_online":false,"read_messages":false,"read_status":false,"sync_full_history":false}"#
            )
            #expect(settings.status == 201)
            let foundSettings = try await client.call("GET", "/settings/find/sales01")
            #expect(foundSettings.json?["groups_ignore"] == false)

            let deleted = try await client.call("DELETE", "/instance/delete/sales01")
            #expect(deleted.status == 200)
            #expect(await simulator.instanceNames().isEmpty)
        }
    }

    @Test("v2: create, fetch, set and find every section, delete")
    func v2Lifecycle() async throws {
        try await withSimulator(SimulatorConfiguration(apiVersion: .v2)) { simulator, client in
            let created = try await client.call(
                "POST", "/instance/create", json: #"{"instanceName":"sales01","token":"tok-1","integration":"WHATSAPP-BAILEYS"}"#)
            #expect(created.status == 201)
            #expect(created.json?["hash"] == "tok-1")

            let fetched = try await client.call("GET", "/instance/fetchInstances?instanceName=sales01")
            #expect(fetched.json?.arrayValue?.first?["token"] == "tok-1")

            #expect(try await client.call("GET", "/webhook/find/sales01").json == .null)
            let hook = try await client.call(
                "POST", "/webhook/set/sales01",
                json: #"{"webhook":{"enabled":true,"url":"https://hooks.example.com/a","events":["MESSAGES_UPSERT"]}}"#)
            #expect(hook.status == 201)
            #expect(try await client.call("GET", "/webhook/find/sales01").json?["events"] == ["MESSAGES_UPSERT"])

            let deleted = try await client.call("DELETE", "/instance/delete/sales01")
            #expect(deleted.status == 200)
            #expect(await simulator.instanceNames().isEmpty)
        }
    }
}
