import EvoformCore
import EvoformPlanner
import EvoformState
import Foundation
import Testing

@testable import EvoformApplier

let fingerprinter = SecretFingerprinter { "fp(\($0))" }

/// An in-memory state journal that records every intent and outcome.
final class MemoryJournal: StateJournal, @unchecked Sendable {
    var fingerprinter: SecretFingerprinter { EvoformApplierTests.fingerprinter }
    var records: [InstanceName: ManagedInstance] = [:]
    var entries: [(id: JournalEntry.ID, instance: InstanceName, action: JournalAction, state: String)] {
        get { lock.withLock { storedEntries } }
        set { lock.withLock { storedEntries = newValue } }
    }
    /// Entries are read by tests while a run writes them.
    private var storedEntries: [(id: JournalEntry.ID, instance: InstanceName, action: JournalAction, state: String)] = []
    private let lock = NSLock()
    /// Outcomes of these instances fail to be written (a full disk, say).
    var refuseOutcomes: Set<InstanceName> = []

    func instance(named name: InstanceName) throws -> ManagedInstance? { records[name] }

    func journalIntent(
        instance: InstanceName, action: JournalAction, requestFingerprint: String, detail: JSONValue?
    ) throws -> JournalEntry.ID {
        lock.withLock {
            let id = JournalEntry.ID(rawValue: Int64(storedEntries.count + 1))
            storedEntries.append((id, instance, action, "intent"))
            return id
        }
    }

    func journalOutcome(_ id: JournalEntry.ID, outcome: JournalOutcome, change: StateChange) throws {
        if refuseOutcomes.contains(entries[Int(id.rawValue - 1)].instance) { throw Rejected() }
        entries[Int(id.rawValue - 1)].state = outcome == .done ? "done" : "failed"
        switch change {
        case .record(let instance): records[instance.name] = instance
        case .forget(let name): records[name] = nil
        case .none: break
        }
    }

    func unfinishedJournalEntries() throws -> [JournalEntry] {
        entries.filter { $0.state == "intent" }.map {
            JournalEntry(id: $0.id, instance: $0.instance, action: $0.action, requestFingerprint: "", status: .intent, startedAt: 0)
        }
    }

    func resolveJournalEntry(_ id: JournalEntry.ID, as resolution: String) throws {
        entries[Int(id.rawValue - 1)].state = "resolved"
    }

    @discardableResult func record(_ instance: ManagedInstance) throws -> ManagedInstance {
        records[instance.name] = instance
        return instance
    }

    func forget(_ name: InstanceName) throws { records[name] = nil }
}

struct LostResponse: Error {}
struct NotFound: Error {}
struct Rejected: Error {}
struct Overloaded: Error {}

/// An in-memory server with scripted faults.
actor FakeServer {
    var instances: [InstanceName: ObservedInstance] = [:]
    var calls: [String] = []
    /// Creates that apply and then lose their answer.
    var loseCreateResponses: Set<InstanceName> = []
    /// Creates that fail before anything is stored.
    var rejectCreates: Set<InstanceName> = []
    var pendingGroupsAtCreate: Set<FieldGroup> = []
    /// Creates that fail (nothing stored) this many times before they succeed.
    var overloadedCreates: [InstanceName: Int] = [:]

    /// Runs before each create is handled.
    var beforeCreate: (@Sendable (InstanceName) async -> Void)?

    func overload(_ name: InstanceName, times: Int) { overloadedCreates[name] = times }

    func onCreate(_ hook: @escaping @Sendable (InstanceName) async -> Void) { beforeCreate = hook }

    func configure(lose: Set<InstanceName> = [], reject: Set<InstanceName> = [], pending: Set<FieldGroup> = []) {
        loseCreateResponses = lose
        rejectCreates = reject
        pendingGroupsAtCreate = pending
    }

    func add(_ instance: ObservedInstance) { instances[instance.name] = instance }

    func log(_ call: String) { calls.append(call) }

    func create(_ desired: DesiredInstance) throws -> CreationResult {
        calls.append("create \(desired.name)")
        if rejectCreates.contains(desired.name) { throw Rejected() }
        if let remaining = overloadedCreates[desired.name], remaining > 0 {
            overloadedCreates[desired.name] = remaining - 1
            throw Overloaded()
        }
        var stored = desired.configuration
        for group in pendingGroupsAtCreate { for field in group.fields { stored[field] = nil } }
        instances[desired.name] = ObservedInstance(
            name: desired.name, serverID: "id-\(desired.name)", status: .close, configuration: stored, secrets: desired.secrets)
        if loseCreateResponses.contains(desired.name) { throw LostResponse() }
        var applied = stored
        applied[.qrcode] = nil
        return CreationResult(serverID: "id-\(desired.name)", applied: applied, pendingGroups: pendingGroupsAtCreate)
    }

    func set(_ group: FieldGroup, of name: InstanceName, desired: InstanceConfiguration) throws {
        calls.append("set \(group.rawValue) \(name)")
        guard var instance = instances[name] else { throw NotFound() }
        for field in group.fields { instance.configuration[field] = desired[field] }
        instances[name] = instance
    }

    func delete(_ name: InstanceName) throws {
        calls.append("delete \(name)")
        guard instances.removeValue(forKey: name) != nil else { throw NotFound() }
    }
}

struct FakeFleetServer: FleetServer {
    let fake: FakeServer

    func observe(_ wanted: [InstanceName: Set<FieldGroup>], parallelism: Int) async throws -> [InstanceName: ObservedInstance] {
        await fake.log("observe")
        let all = await fake.instances
        return all.filter { wanted[$0.key] != nil }
    }

    func createInstance(_ instance: DesiredInstance) async throws -> CreationResult {
        if let hook = await fake.beforeCreate { await hook(instance.name) }
        return try await fake.create(instance)
    }
    func delete(_ name: InstanceName) async throws { try await fake.delete(name) }
    func waitUntilGone(_ name: InstanceName, timeoutSeconds: Int) async throws {}

    func set(
        _ group: FieldGroup, of name: InstanceName, desired: InstanceConfiguration, secrets: [Field: Secret],
        current: ObservedInstance?
    ) async throws {
        try await fake.set(group, of: name, desired: desired)
    }

    func isNotFound(_ error: any Error) -> Bool { error is NotFound }
    func isOutcomeUnknown(_ error: any Error) -> Bool { error is LostResponse }
    func createRetryDelay(after error: any Error, attempt: Int) -> Double? {
        error is Overloaded && attempt < 3 ? 0.001 : nil
    }
}

func instance(_ name: String, url: String = "https://hooks.example.com/\(UUID().uuidString.prefix(4))", token: String? = nil)
    -> DesiredInstance
{
    var secrets: [Field: Secret] = [:]
    if let token { secrets[.token] = Secret(token) }
    return DesiredInstance(
        name: InstanceName(name),
        configuration: InstanceConfiguration([
            .webhookURL: .string(url), .webhookEnabled: .bool(true), .webhookEvents: .events(.all),
            .rejectCall: .bool(true),
        ]),
        secrets: secrets)
}

/// Plans against the fake server and journal, the way the CLI does.
func converge(_ desired: [DesiredInstance], server: FakeServer, journal: MemoryJournal, parallelism: Int = 4) async throws
    -> (Plan, ApplyReport)
{
    let applier = Applier(
        server: FakeFleetServer(fake: server), journal: journal,
        settings: ApplySettings(serverURL: "http://fake", apiVersion: .v2, parallelism: parallelism), emit: { _ in })
    try await applier.recover(desired: desired)
    let observed = await server.instances
    let plan = try Planner.plan(
        PlanInput(
            desired: desired, managed: Array(journal.records.values), observed: observed, apiVersion: .v2,
            fingerprinter: fingerprinter))
    let report = await applier.apply(plan, desired: desired, observed: observed)
    return (plan, report)
}

func freshPlan(_ desired: [DesiredInstance], server: FakeServer, journal: MemoryJournal) async throws -> Plan {
    try Planner.plan(
        PlanInput(
            desired: desired, managed: Array(journal.records.values), observed: await server.instances, apiVersion: .v2,
            fingerprinter: fingerprinter))
}

@Suite struct ApplierTests {
    @Test func createsRecordsAndConverges() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        let fleet = (1...20).map { instance("i\($0)", token: "t\($0)") }
        let (_, report) = try await converge(fleet, server: server, journal: journal)
        #expect(report.count(.create) == 20)
        #expect(report.succeeded)
        #expect(journal.entries.allSatisfy { $0.state == "done" })
        #expect(!(try await freshPlan(fleet, server: server, journal: journal)).hasChanges)
        let callsBefore = await server.calls.count
        let (_, second) = try await converge(fleet, server: server, journal: journal)
        #expect(second.completed.isEmpty)
        #expect(await server.calls.count == callsBefore)
    }

    @Test func anOutcomeThatCannotBeRecordedFailsItsChangeAndTheNextRunAdoptsInsteadOfCreatingAgain() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        journal.refuseOutcomes = ["b"]
        let fleet = [instance("a", token: "ta"), instance("b", token: "tb"), instance("c", token: "tc")]
        let (_, report) = try await converge(fleet, server: server, journal: journal, parallelism: 1)
        #expect(report.count(.create) == 2)
        #expect(report.failures.map(\.name) == ["b"])
        #expect(report.failures.first?.action == .create)
        #expect(report.failures.first?.message.contains("recording it in the state failed") == true)
        #expect(states(journal) == ["a": "done", "b": "intent", "c": "done"])
        journal.refuseOutcomes = []
        let (_, second) = try await converge(fleet, server: server, journal: journal)
        #expect(second.succeeded)
        #expect(await server.calls.filter { $0.hasPrefix("create") } == ["create a", "create b", "create c"])
        #expect(journal.records["b"] != nil)
        #expect(!(try await freshPlan(fleet, server: server, journal: journal)).hasChanges)
    }

    @Test func pendingGroupsAreSetAfterCreate() async throws {
        let server = FakeServer()
        await server.configure(pending: [.settings])
        let journal = MemoryJournal()
        let fleet = [instance("a")]
        _ = try await converge(fleet, server: server, journal: journal)
        #expect(await server.calls == ["create a", "set settings a"])
        #expect(!(try await freshPlan(fleet, server: server, journal: journal)).hasChanges)
    }

    @Test func lostCreateResponseIsAdoptedNeverSentTwice() async throws {
        let server = FakeServer()
        await server.configure(lose: ["a"])
        let journal = MemoryJournal()
        let fleet = [instance("a", token: "t")]
        let (_, report) = try await converge(fleet, server: server, journal: journal)
        #expect(report.succeeded)
        #expect(await server.calls.filter { $0.hasPrefix("create") } == ["create a"])
        #expect(journal.records["a"] != nil)
        #expect(!(try await freshPlan(fleet, server: server, journal: journal)).hasChanges)
    }

    @Test func rejectedCreateIsReportedAndOthersGoOn() async throws {
        let server = FakeServer()
        await server.configure(reject: ["b"])
        let journal = MemoryJournal()
        let (_, report) = try await converge([instance("a"), instance("b"), instance("c")], server: server, journal: journal)
        #expect(report.count(.create) == 2)
        #expect(report.failures.map(\.name) == ["b"])
        #expect(journal.records["b"] == nil)
        #expect(journal.entries.first { $0.instance == "b" }?.state == "failed")
    }

    @Test func overloadedCreateIsRetriedAfterLookingAndGivesUpInTime() async throws {
        let server = FakeServer()
        await server.overload("a", times: 2)
        await server.overload("b", times: 5)
        let journal = MemoryJournal()
        let (_, report) = try await converge([instance("a"), instance("b")], server: server, journal: journal)
        #expect(report.count(.create) == 1)
        #expect(report.failures.map(\.name) == ["b"])
        let calls = await server.calls
        #expect(calls.filter { $0 == "create a" }.count == 3)
        #expect(calls.filter { $0 == "create b" }.count == 3)
        // Every retry was preceded by a look at the server.
        #expect(calls.filter { $0 == "observe" }.count >= 5)
    }

    @Test func unfinishedCreateFromACrashIsAdoptedBeforePlanning() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        let desired = instance("a", token: "t")
        // A run that died after sending the create: the intent is open, the server has it.
        _ = try journal.journalIntent(instance: "a", action: .create, requestFingerprint: "x", detail: nil)
        _ = try await server.create(desired)
        let (plan, report) = try await converge([desired], server: server, journal: journal)
        #expect(journal.entries[0].state == "resolved")
        #expect(plan.changes.map(\.action) == [.noop])
        #expect(report.completed.isEmpty)
        #expect(await server.calls.filter { $0.hasPrefix("create") }.count == 1)
    }

    @Test func unfinishedCreateThatNeverArrivedIsPlannedAgain() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        _ = try journal.journalIntent(instance: "a", action: .create, requestFingerprint: "x", detail: nil)
        let (plan, report) = try await converge([instance("a")], server: server, journal: journal)
        #expect(plan.changes.map(\.action) == [.create])
        #expect(report.count(.create) == 1)
    }

    @Test func removedInstanceIsDeletedAndForgotten() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        let fleet = [instance("a"), instance("b")]
        _ = try await converge(fleet, server: server, journal: journal)
        let (plan, report) = try await converge([instance("a")].map { var d = $0; d.configuration = fleet[0].configuration; return d },
            server: server, journal: journal)
        #expect(plan.changes.map(\.action) == [.noop, .delete])
        #expect(report.count(.delete) == 1)
        #expect(journal.records["b"] == nil)
    }

    @Test func deleteOfAnInstanceAlreadyGoneCountsAsDone() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        _ = try await converge([instance("a")], server: server, journal: journal)
        let observed = await server.instances
        let plan = try Planner.plan(
            PlanInput(desired: [], managed: Array(journal.records.values), observed: observed, apiVersion: .v2,
                fingerprinter: fingerprinter))
        try await server.delete("a")  // deleted out of band between plan and apply
        let applier = Applier(
            server: FakeFleetServer(fake: server), journal: journal,
            settings: ApplySettings(serverURL: "http://fake", apiVersion: .v2), emit: { _ in })
        let report = await applier.apply(plan, desired: [], observed: observed)
        #expect(report.succeeded)
        #expect(report.count(.delete) == 1)
        #expect(journal.records.isEmpty)
    }

    @Test func replaceDeletesThenCreates() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        var desired = instance("a", token: "old")
        _ = try await converge([desired], server: server, journal: journal)
        desired.secrets[.token] = Secret("new")
        let (plan, report) = try await converge([desired], server: server, journal: journal)
        #expect(plan.changes.map(\.action) == [.replace])
        #expect(report.count(.replace) == 1)
        #expect(await server.calls.suffix(2) == ["delete a", "create a"])
        #expect(!(try await freshPlan([desired], server: server, journal: journal)).hasChanges)
    }

    @Test func intentsCommittedAheadAreClaimedByTheirCallsNotWrittenTwice() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        let fleet = (0..<12).map { instance("i\($0)") }
        let (_, report) = try await converge(fleet, server: server, journal: journal, parallelism: 3)
        #expect(report.succeeded)
        // One create each; the intent of every change after the first three was committed
        // while earlier calls ran, and its call used that entry instead of writing another.
        #expect(journal.entries.count == 12)
        #expect(Set(journal.entries.map(\.state)) == ["done"])
        #expect(!(try await freshPlan(fleet, server: server, journal: journal)).hasChanges)
    }

    @Test func anIntentCommittedAheadOfACallNeverMadeIsSettledAsNotSent() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        let flag = InterruptionFlag()
        // Ctrl-C arrives while "a" is being created, once "b"'s intent is committed ahead.
        await server.onCreate { name in
            guard name == "a" else { return }
            for _ in 0..<1000 where !journal.entries.contains(where: { $0.instance == "b" }) {
                try? await Task.sleep(for: .milliseconds(5))
            }
            flag.raise()
        }
        let applier = Applier(
            server: FakeFleetServer(fake: server), journal: journal,
            settings: ApplySettings(serverURL: "http://fake", apiVersion: .v2, parallelism: 1), emit: { _ in })
        let fleet = [instance("a"), instance("b"), instance("c")]
        let plan = try Planner.plan(
            PlanInput(desired: fleet, managed: [], observed: [:], apiVersion: .v2, fingerprinter: fingerprinter))
        let report = await applier.apply(plan, desired: fleet, observed: [:], interruption: flag)
        #expect(report.skipped == ["b", "c"])
        #expect(await server.calls == ["create a"])
        #expect(states(journal) == ["a": "done", "b": "resolved"])
        #expect(try journal.unfinishedJournalEntries().isEmpty)
    }

    @Test func interruptionStopsStartingNewChanges() async throws {
        let server = FakeServer()
        let journal = MemoryJournal()
        let flag = InterruptionFlag()
        flag.raise()
        let applier = Applier(
            server: FakeFleetServer(fake: server), journal: journal,
            settings: ApplySettings(serverURL: "http://fake", apiVersion: .v2, parallelism: 2), emit: { _ in })
        let fleet = [instance("a"), instance("b")]
        let plan = try Planner.plan(
            PlanInput(desired: fleet, managed: [], observed: [:], apiVersion: .v2, fingerprinter: fingerprinter))
        let report = await applier.apply(plan, desired: fleet, observed: [:], interruption: flag)
        #expect(report.skipped == ["a", "b"])
        #expect(await server.calls.isEmpty)
    }
}

/// The state of each instance's journal entry (one per instance in these tests).
func states(_ journal: MemoryJournal) -> [InstanceName: String] {
    Dictionary(journal.entries.map { ($0.instance, $0.state) }, uniquingKeysWith: { first, _ in first })
}
