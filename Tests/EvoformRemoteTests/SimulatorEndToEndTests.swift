import EvoformCore
import EvoformRemote
import EvolutionSimulator
import Foundation
import Testing

/// Every operation over real loopback HTTP against the simulator, for both versions.
@Suite struct SimulatorEndToEndTests {
    static let versions = APIVersion.allCases
    static let allGroups: Set<FieldGroup> = [.webhook, .chatwoot, .settings, .replaceForcing]

    /// Every non-create-only field the create reports as applied reads back the same.
    func expectApplied(_ applied: InstanceConfiguration, in observed: ObservedInstance, sourceLocation: SourceLocation = #_sourceLocation) {
        for field in applied.fields where field.group != .createOnly {
            #expect(observed.configuration[field] == applied[field], "\(field.rawValue)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: versions)
    func autoDetectsTheVersionAndReadsServerInfo(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(.auto)
            #expect(try await client.apiVersion() == version)
            let info = try await client.serverInfo()
            #expect(info.apiVersion == version)
            #expect(info.version.hasPrefix(version == .v1 ? "1." : "2."))
            #expect(client.requestCount == 2)
        }
    }

    /// A list read ahead goes out with the version question: the answers are held for a long
    /// latency, so both are in flight at once unless the list waited for `GET /`.
    @Test(arguments: versions)
    func aListReadAheadGoesOutWithTheVersionQuestion(version: APIVersion) async throws {
        try await SimulatorHarness.with(version, configure: { $0.latencyMilliseconds = 300 }) { harness in
            let client = harness.client(.auto)
            async let listedAhead: Void = client.readInstanceListAhead()
            #expect(try await client.apiVersion() == version)
            await listedAhead
            let listed = try await client.listInstances()
            #expect(listed.isEmpty)
            #expect(client.requestCount == 2)
            #expect(await harness.simulator.maxConcurrentRequests() == 2)
            // The answer read ahead serves one list; the next asks again.
            _ = try await client.listInstances()
            #expect(client.requestCount == 3)
        }
    }

    @Test(arguments: versions)
    func documentedExamplesCreateAndReadBackWhatWasApplied(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(version == .v1 ? .v1 : .v2)
            var created: [InstanceName: CreatedInstance] = [:]
            for example in DocumentedExample.allCases {
                let desired = example.desired
                let result = try await client.create(desired)
                #expect(result.pendingGroups.isEmpty)
                #expect(result.serverID != nil)
                #expect(result.token?.revealed == desired.secrets[.token]?.revealed)
                created[desired.name] = result
            }
            let wanted = Dictionary(uniqueKeysWithValues: created.keys.map { ($0, Self.allGroups) })
            let observed = try await client.observe(wanted, parallelism: 4)
            #expect(Set(observed.keys) == Set(created.keys))
            for example in DocumentedExample.allCases {
                let desired = example.desired
                let instance = try #require(observed[desired.name])
                expectApplied(created[desired.name]!.applied, in: instance)
                #expect(instance.secrets[.token]?.revealed == desired.secrets[.token]?.revealed)
                if let chatwootToken = desired.secrets[.chatwootToken] {
                    #expect(instance.secrets[.chatwootToken] == chatwootToken)
                    #expect(instance.configuration[.chatwootEnabled] == .bool(true))
                } else {
                    #expect(instance.configuration[.chatwootEnabled] == .bool(false))
                }
            }
            #expect(observed["sales01"]?.configuration[.webhookEnabled] == .bool(false))
            #expect(observed["support01"]?.configuration[.webhookEnabled] == .bool(true))
        }
    }

    @Test(arguments: versions)
    func setsChangeOneGroupAndKeepUnmanagedFields(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(version == .v1 ? .v1 : .v2)
            let example = DocumentedExample.webhook.desired
            _ = try await client.create(example)
            let before = try #require(try await client.observe([example.name: Self.allGroups], parallelism: 2)[example.name])

            // Only the URL is managed now: byEvents and the events must survive the set.
            try await client.set(
                .webhook, of: example.name, desired: InstanceConfiguration([.webhookURL: .string("https://new.example.com/hook")]),
                secrets: [:], current: before)
            try await client.set(
                .settings, of: example.name, desired: InstanceConfiguration([.rejectCall: .bool(true), .msgCall: .string("No calls")]),
                secrets: [:], current: before)
            let after = try #require(try await client.observe([example.name: Self.allGroups], parallelism: 2)[example.name])
            #expect(after.configuration[.webhookURL] == .string("https://new.example.com/hook"))
            #expect(after.configuration[.webhookEvents] == example.configuration[.webhookEvents])
            #expect(after.configuration[.webhookByEvents] == .bool(false))
            #expect(after.configuration[.rejectCall] == .bool(true))
            #expect(after.configuration[.msgCall] == .string("No calls"))
            for field in [Field.groupsIgnore, .alwaysOnline, .readMessages, .readStatus, .syncFullHistory] {
                #expect(after.configuration[field] == before.configuration[field], "\(field.rawValue)")
            }

            // Disable the webhook: it reads back as only "disabled".
            try await client.set(
                .webhook, of: example.name, desired: InstanceConfiguration([.webhookEnabled: .bool(false)]), secrets: [:],
                current: after)
            let disabled = try #require(try await client.observe([example.name: [.webhook]], parallelism: 1)[example.name])
            #expect(disabled.configuration == InstanceConfiguration([.webhookEnabled: .bool(false)]))

            // Re-enable with all events: the full list reads back as `.all`.
            try await client.set(
                .webhook, of: example.name,
                desired: InstanceConfiguration([.webhookURL: .string("https://again.example.com"), .webhookEvents: .events(.all)]),
                secrets: [:], current: disabled)
            let again = try #require(try await client.observe([example.name: [.webhook]], parallelism: 1)[example.name])
            #expect(again.configuration[.webhookEnabled] == .bool(true))
            #expect(again.configuration[.webhookEvents] == .events(.all))
        }
    }

    @Test(arguments: versions)
    func chatwootIsEnabledChangedAndDisabledThroughSet(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(version == .v1 ? .v1 : .v2)
            _ = try await client.create(DesiredInstance(name: "desk"))
            let desired = InstanceConfiguration([
                .chatwootAccountID: .integer(42), .chatwootURL: .string("https://chatwoot.example.com"),
                .chatwootSignMsg: .bool(true), .chatwootNameInbox: .string("Desk"),
            ])
            try await client.set(
                .chatwoot, of: "desk", desired: desired, secrets: [.chatwootToken: Secret("cw-secret")], current: nil)
            let enabled = try #require(try await client.observe(["desk": [.chatwoot]], parallelism: 1)["desk"])
            #expect(enabled.configuration[.chatwootEnabled] == .bool(true))
            for field in desired.fields { #expect(enabled.configuration[field] == desired[field], "\(field.rawValue)") }
            #expect(enabled.secrets[.chatwootToken]?.revealed == "cw-secret")

            // Change one flag; the token is not in the manifest this time: the observed one is kept.
            try await client.set(
                .chatwoot, of: "desk", desired: InstanceConfiguration([.chatwootReopenConversation: .bool(true)]), secrets: [:],
                current: enabled)
            let changed = try #require(try await client.observe(["desk": [.chatwoot]], parallelism: 1)["desk"])
            #expect(changed.configuration[.chatwootReopenConversation] == .bool(true))
            #expect(changed.configuration[.chatwootNameInbox] == .string("Desk"))
            #expect(changed.secrets[.chatwootToken]?.revealed == "cw-secret")

            try await client.set(
                .chatwoot, of: "desk", desired: InstanceConfiguration([.chatwootEnabled: .bool(false)]), secrets: [:],
                current: changed)
            let disabled = try #require(try await client.observe(["desk": [.chatwoot]], parallelism: 1)["desk"])
            #expect(disabled.configuration == InstanceConfiguration([.chatwootEnabled: .bool(false)]))
        }
    }

    @Test(arguments: versions)
    func groupsIgnoreFalseConvergesAfterThePendingSet(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(version == .v1 ? .v1 : .v2)
            let desired = DesiredInstance(
                name: "quiet", configuration: InstanceConfiguration([.groupsIgnore: .bool(false), .readMessages: .bool(true)]))
            let created = try await client.create(desired)
            let first = try #require(try await client.observe(["quiet": [.settings]], parallelism: 1)["quiet"])
            expectApplied(created.applied, in: first)
            if version == .v1 {
                #expect(created.pendingGroups == [.settings])
                #expect(first.configuration[.groupsIgnore] == .bool(true))
            } else {
                #expect(created.pendingGroups.isEmpty)
            }
            for group in created.pendingGroups {
                try await client.set(group, of: "quiet", desired: desired.configuration, secrets: [:], current: nil)
            }
            let final = try #require(try await client.observe(["quiet": [.settings]], parallelism: 1)["quiet"])
            #expect(final.configuration[.groupsIgnore] == .bool(false))
            #expect(final.configuration[.readMessages] == .bool(true))
        }
    }

    @Test(arguments: versions)
    func connectionLifecycleConnectQRCodeLogout(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(version == .v1 ? .v1 : .v2)
            _ = try await client.create(DesiredInstance(name: "phone"))
            #expect(try await client.connectionState("phone") == .close)

            let qr = try #require(try await client.connect("phone"))
            #expect(qr.count >= 1)
            #expect(qr.code?.isEmpty == false)
            #expect(qr.pngData?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
            #expect(try await client.connectionState("phone") == .connecting)

            try await harness.simulator.setConnectionState("open", of: "phone")
            #expect(try await client.connectionState("phone") == .open)
            #expect(try await client.connect("phone") == nil)
            #expect(try await client.listInstances().first { $0.name == "phone" }?.status == .open)

            try await client.logout("phone")
            #expect(try await client.connectionState("phone") == .close)
            await #expect {
                try await client.logout("phone")
            } throws: { error in
                guard case .validation(let context, let messages) = error as? RemoteError else { return false }
                return context.endpoint == .logout && context.instance == "phone"
                    && messages.contains { $0.contains("is not connected") }
            }
        }
    }

    @Test(arguments: versions)
    func deleteLogsOutWhereNeededAndWaitUntilGoneFreesTheName(version: APIVersion) async throws {
        try await SimulatorHarness.with(version, configure: { $0.deleteLagMilliseconds = 300 }) { harness in
            let client = harness.client(version == .v1 ? .v1 : .v2)
            _ = try await client.create(DesiredInstance(name: "paired"))
            try await harness.simulator.setConnectionState("open", of: "paired")
            let mark = await harness.requests().count
            try await client.delete("paired")
            let deleteCalls = await harness.requests(since: mark).map { "\($0.method) \($0.path)" }
            if version == .v1 {
                #expect(deleteCalls.first == "DELETE /instance/delete/paired")
                #expect(deleteCalls.contains("DELETE /instance/logout/paired"))
                #expect(deleteCalls.last == "DELETE /instance/delete/paired")
            } else {
                #expect(deleteCalls == ["DELETE /instance/delete/paired"])
            }
            try await client.waitUntilGone("paired", timeoutSeconds: 10)
            #expect(try await client.listInstances().contains { $0.name == "paired" } == false)
            _ = try await client.create(DesiredInstance(name: "paired"))
        }
    }

    @Test func v2WaitUntilGoneGivesUpWhenTheServerIsSlowToRemove() async throws {
        try await SimulatorHarness.with(.v2, configure: { $0.deleteLagMilliseconds = 60_000 }) { harness in
            let client = harness.client(.v2)
            _ = try await client.create(DesiredInstance(name: "slow"))
            try await client.delete("slow")
            await #expect {
                try await client.waitUntilGone("slow", timeoutSeconds: 1)
            } throws: { error in
                guard case .deletionTimedOut(let context, 1) = error as? RemoteError else { return false }
                return context.instance == "slow"
            }
            await #expect {
                _ = try await client.create(DesiredInstance(name: "slow"))
            } throws: { error in
                guard case .nameInUse = error as? RemoteError else { return false }
                return true
            }
        }
    }

    @Test(arguments: versions)
    func namesThatNeedEncodingWorkEndToEnd(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(version == .v1 ? .v1 : .v2)
            let name: InstanceName = "sales bot/ç%"
            _ = try await client.create(DesiredInstance(name: name))
            #expect(try await client.connectionState(name) == .close)
            try await client.set(
                .settings, of: name, desired: InstanceConfiguration([.alwaysOnline: .bool(true)]), secrets: [:], current: nil)
            let observed = try await client.observe([name: [.settings]], parallelism: 1)
            #expect(observed[name]?.configuration[.alwaysOnline] == .bool(true))
            let paths = await harness.requests().map(\.path)
            #expect(paths.contains("/settings/set/sales%20bot%2F%C3%A7%25"))
        }
    }
}
