import EvoformCore
import EvoformRemote
import EvolutionSimulator
import Foundation
import Testing

/// Every error kind and the retry rules over real HTTP, with the simulator's fault injection.
@Suite struct SimulatorFailureTests {
    static let versions = APIVersion.allCases

    func fixed(_ version: APIVersion) -> APIVersionChoice { version == .v1 ? .v1 : .v2 }

    @Test(arguments: versions)
    func aBadKeyFailsAtOnceNamingTheServerNotTheKey(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(.auto, key: "not-the-global-key")
            await #expect {
                _ = try await client.observe(["sales01": [.webhook]], parallelism: 4)
            } throws: { error in
                guard let remote = error as? RemoteError, remote.isUnauthorized else { return false }
                let message = remote.userMessage
                return message.contains(harness.simulator.baseURL) && message.contains("EVOLUTION_API_KEY")
                    && message.contains("401") && !message.contains("not-the-global-key")
                    && !"\(remote)".contains("not-the-global-key")
            }
            #expect(client.requestCount == 2)  // GET / (no key needed), then one refused list
            #expect(await harness.requests().map(\.status) == [200, 401])
        }
    }

    @Test(arguments: versions)
    func unknownInstancesAreNotFound(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(fixed(version))
            for operation in ["state", "delete", "set"] {
                await #expect {
                    switch operation {
                    case "state": _ = try await client.connectionState("ghost")
                    case "delete": try await client.delete("ghost")
                    default:
                        try await client.set(
                            .settings, of: "ghost", desired: InstanceConfiguration([.rejectCall: .bool(true)]), secrets: [:],
                            current: nil)
                    }
                } throws: { error in
                    guard let remote = error as? RemoteError, remote.isNotFound else { return false }
                    return remote.context.instance == "ghost" && remote.userMessage.contains("\"ghost\" does not exist")
                }
            }
        }
    }

    @Test(arguments: versions)
    func aTakenNameIsNameInUse(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(fixed(version))
            _ = try await client.create(DesiredInstance(name: "twice"))
            await #expect {
                _ = try await client.create(DesiredInstance(name: "twice"))
            } throws: { error in
                guard case .nameInUse(let context, let messages) = error as? RemoteError else { return false }
                return context.status == 403 && messages.contains { $0.contains("already in use") }
            }
            #expect(client.requestCount == 2)
        }
    }

    @Test(arguments: versions)
    func aRejectedBodyIsValidationWithTheServersMessages(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(fixed(version))
            _ = try await client.create(DesiredInstance(name: "strict"))
            await #expect {
                try await client.set(
                    .webhook, of: "strict",
                    desired: InstanceConfiguration([
                        .webhookURL: .string("https://h.example.com"), .webhookEvents: .events(.only(["MESSAGE_UPSERT"])),
                    ]), secrets: [:], current: nil)
            } throws: { error in
                guard case .validation(let context, let messages) = error as? RemoteError else { return false }
                return context.status == 400 && context.endpoint == .webhookSet
                    && messages.contains { $0.contains("is not one of enum values") }
            }
            #expect(client.requestCount == 2)  // a 400 is not retried
        }
    }

    @Test(arguments: versions)
    func theWrongDialectIsAnUnexpectedResponse(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            _ = try await harness.client(fixed(version)).create(DesiredInstance(name: "one"))
            let wrong = harness.client(version == .v1 ? .v2 : .v1)
            await #expect {
                _ = try await wrong.listInstances()
            } throws: { error in
                guard case .unexpectedResponse(let context, _) = error as? RemoteError else { return false }
                return context.endpoint == .fetchInstances
            }
        }
    }

    @Test func aServerThatIsNotThereIsRefused() async throws {
        let port = try RawHTTPServer.unusedPort()
        let client = EvolutionClient(
            endpoint: ServerEndpoint(url: URL(string: "http://127.0.0.1:\(port)")!, apiKey: Secret("k"), version: .auto),
            transport: SimulatorHarness.defaultTransport(), timing: .instant)
        await #expect {
            _ = try await client.apiVersion()
        } throws: { error in
            guard case .transport(let context, .refused, _) = error as? RemoteError else { return false }
            return context.attempts == 4 && (error as! RemoteError).userMessage.contains("connection refused")
        }
    }

    @Test(arguments: versions)
    func aSlowServerIsATimeoutForReadsAndOutcomeUnknownForACreate(version: APIVersion) async throws {
        try await SimulatorHarness.with(version, configure: { $0.latencyMilliseconds = 2_500 }) { harness in
            let client = harness.client(fixed(version), retry: .none, timeoutSeconds: 1)
            await #expect {
                _ = try await client.listInstances()
            } throws: { error in
                guard case .transport(_, .timeout, 1) = error as? RemoteError else { return false }
                return (error as! RemoteError).userMessage.contains("within 1 s")
            }
            await #expect {
                _ = try await client.create(DesiredInstance(name: "late"))
            } throws: { error in
                guard case .outcomeUnknown(let context, .timeout) = error as? RemoteError else { return false }
                return context.instance == "late"
            }
        }
    }

    @Test(arguments: versions)
    func injectedServerErrorsAreRetriedForSetsAndNeverForCreates(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(fixed(version))
            _ = try await client.create(DesiredInstance(name: "flaky"))
            await harness.simulator.setFaults(failRate: 1, loseResponseRate: 0, latencyMilliseconds: 0)

            var mark = await harness.requests().count
            await #expect {
                _ = try await client.create(DesiredInstance(name: "never"))
            } throws: { error in
                guard case .server(let context, _) = error as? RemoteError else { return false }
                return context.status == 500 && context.attempts == 1
            }
            #expect(await harness.requests(since: mark).map(\.fault) == [.failed])

            mark = await harness.requests().count
            await #expect {
                try await client.set(
                    .settings, of: "flaky", desired: InstanceConfiguration([.rejectCall: .bool(true)]), secrets: [:],
                    current: nil)
            } throws: { error in
                guard case .server(let context, _) = error as? RemoteError else { return false }
                return context.status == 500 && context.attempts == 4
            }
            #expect(await harness.requests(since: mark).count == 4)
        }
    }

    @Test(arguments: versions)
    func setsSucceedThroughRandomServerErrors(version: APIVersion) async throws {
        try await SimulatorHarness.with(version, configure: { $0.seed = 7 }) { harness in
            let client = harness.client(fixed(version), retry: RetryPolicy(maximumAttempts: 10))
            _ = try await client.create(DesiredInstance(name: "flaky"))
            await harness.simulator.setFaults(failRate: 0.5, loseResponseRate: 0, latencyMilliseconds: 0)
            let mark = await harness.requests().count
            for round in 1...10 {
                try await client.set(
                    .settings, of: "flaky", desired: InstanceConfiguration([.msgCall: .string("round \(round)")]), secrets: [:],
                    current: nil)
            }
            let log = await harness.requests(since: mark)
            #expect(log.contains { $0.fault == .failed })
            #expect(log.filter { $0.status == 201 || $0.status == 200 }.count == 10)
            await harness.simulator.setFaults(failRate: 0, loseResponseRate: 0, latencyMilliseconds: 0)
            let observed = try await client.observe(["flaky": [.settings]], parallelism: 1)
            #expect(observed["flaky"]?.configuration[.msgCall] == .string("round 10"))
        }
    }

    @Test(arguments: versions)
    func lostAnswersAreOutcomeUnknownAndTheServerDidApplyThem(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(fixed(version))
            _ = try await client.create(DesiredInstance(name: "kept"))
            await harness.simulator.setFaults(failRate: 0, loseResponseRate: 1, latencyMilliseconds: 0)

            var mark = await harness.requests().count
            await #expect {
                _ = try await client.create(DesiredInstance(name: "lost"))
            } throws: { error in
                guard case .outcomeUnknown(let context, _) = error as? RemoteError else { return false }
                return context.endpoint == .create && context.instance == "lost" && context.attempts == 1
            }
            #expect(await harness.requests(since: mark).count == 1)
            #expect(await harness.simulator.instanceNames().contains("lost"))

            mark = await harness.requests().count
            await #expect {
                try await client.set(
                    .settings, of: "kept", desired: InstanceConfiguration([.alwaysOnline: .bool(true)]), secrets: [:],
                    current: nil)
            } throws: { error in
                guard case .outcomeUnknown(let context, _) = error as? RemoteError else { return false }
                return context.endpoint == .settingsSet && context.attempts == 4
            }
            #expect(await harness.requests(since: mark).count == 4)

            await #expect {
                try await client.delete("kept")
            } throws: { error in
                (error as? RemoteError)?.isOutcomeUnknown == true
            }

            await harness.simulator.setFaults(failRate: 0, loseResponseRate: 0, latencyMilliseconds: 0)
            let observed = try await client.observe(["kept": [.settings], "lost": []], parallelism: 2)
            #expect(observed["lost"] != nil)
            #expect(observed["kept"] == nil)
        }
    }
}

/// Observing a fleet costs the documented minimum of requests, never more in flight than asked.
@Suite struct FleetObservationTests {
    @Test(arguments: APIVersion.allCases)
    func observeSendsTheMinimumNumberOfRequests(version: APIVersion) async throws {
        try await SimulatorHarness.with(version) { harness in
            let client = harness.client(version == .v1 ? .v1 : .v2)
            var names: [InstanceName] = []
            for index in 0..<12 {
                let name = InstanceName("fleet\(index)")
                names.append(name)
                var configuration = InstanceConfiguration()
                switch index % 3 {
                case 0: configuration[.webhookURL] = .string("https://hooks.example.com/\(index)")
                case 1: configuration[.rejectCall] = .bool(true)
                default: configuration[.chatwootAccountID] = .integer(index)
                    configuration[.chatwootURL] = .string("https://chatwoot.example.com")
                }
                _ = try await client.create(
                    DesiredInstance(name: name, configuration: configuration, secrets: [.chatwootToken: Secret("cw\(index)")]))
            }
            let all: Set<FieldGroup> = [.webhook, .chatwoot, .settings, .replaceForcing]
            var wanted = Dictionary(uniqueKeysWithValues: names.map { ($0, all) })
            wanted["absent1"] = all
            wanted["absent2"] = [.webhook]

            var mark = await harness.requests().count
            let observed = try await client.observe(wanted, parallelism: 4)
            let log = await harness.requests(since: mark)
            #expect(Set(observed.keys) == Set(names))
            let minimum = version == .v1 ? 1 + 12 + 12 : 1 + 12
            #expect(log.count == minimum)
            #expect(log.filter { $0.path == "/instance/fetchInstances" }.count == 1)
            #expect(log.allSatisfy { !$0.isMutating && $0.status == 200 })
            for (index, name) in names.enumerated() {
                let instance = try #require(observed[name])
                #expect(instance.configuration[.webhookEnabled] == .bool(index % 3 == 0))
                #expect(instance.configuration[.chatwootEnabled] == .bool(index % 3 == 2))
                #expect(instance.configuration[.rejectCall] == .bool(index % 3 == 1))
                #expect(instance.secrets[.token] != nil)
            }

            mark = await harness.requests().count
            _ = try await client.observe(
                Dictionary(uniqueKeysWithValues: names.map { ($0, [FieldGroup.settings, .chatwoot]) }), parallelism: 4)
            #expect(await harness.requests(since: mark).count == (version == .v1 ? 1 + 12 : 1))
        }
    }

    @Test(arguments: [1, 3, 8])
    func neverMoreRequestsInFlightThanTheParallelism(parallelism: Int) async throws {
        try await SimulatorHarness.with(.v1, configure: { $0.latencyMilliseconds = 15 }) { harness in
            for index in 0..<24 { try await harness.simulator.createOutOfBand(instanceName: "p\(index)", token: nil) }
            let probe = ConcurrencyProbe(SimulatorHarness.defaultTransport())
            let client = harness.client(.v1, transport: probe)
            let wanted = Dictionary(uniqueKeysWithValues: (0..<24).map { (InstanceName("p\($0)"), Set([FieldGroup.webhook, .settings])) })
            let observed = try await client.observe(wanted, parallelism: parallelism)
            #expect(observed.count == 24)
            #expect(client.requestCount == 1 + 48)
            #expect(probe.maximumInFlight <= parallelism)
            #expect(probe.maximumInFlight >= 1)
        }
    }
}
