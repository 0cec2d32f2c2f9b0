import EvoformCore
import Testing

@testable import EvoformPlanner

/// A fingerprinter that is readable in tests: "fp(" + value + ")".
let testFingerprinter = SecretFingerprinter { "fp(\($0))" }

func desired(
    _ name: String, _ values: [Field: FieldValue] = [:], token: String? = nil, lifecycle: Lifecycle = .init()
) -> DesiredInstance {
    var secrets: [Field: Secret] = [:]
    if let token { secrets[.token] = Secret(token) }
    return DesiredInstance(
        name: InstanceName(name), configuration: InstanceConfiguration(values), secrets: secrets, lifecycle: lifecycle)
}

func managed(_ name: String, _ values: [Field: FieldValue] = [:], token: String? = nil) -> ManagedInstance {
    var configuration = InstanceConfiguration(values)
    if let token { configuration[.token] = .secret(testFingerprinter.fingerprint(Secret(token))) }
    return ManagedInstance(name: InstanceName(name), serverURL: "http://sim", apiVersion: .v2, configuration: configuration)
}

func observed(_ name: String, _ values: [Field: FieldValue] = [:], token: String? = nil) -> ObservedInstance {
    var secrets: [Field: Secret] = [:]
    if let token { secrets[.token] = Secret(token) }
    return ObservedInstance(name: InstanceName(name), status: .close, configuration: InstanceConfiguration(values), secrets: secrets)
}

func plan(
    desired: [DesiredInstance], managed: [ManagedInstance], observed: [ObservedInstance]?,
    version: APIVersion = .v2, targets: Set<InstanceName> = []
) throws -> Plan {
    try Planner.plan(
        PlanInput(
            desired: desired, managed: managed,
            observed: observed.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.name, $0) }) },
            apiVersion: version, fingerprinter: testFingerprinter, targets: targets))
}

let webhook: [Field: FieldValue] = [
    .webhookURL: .string("https://hooks.example.com/a"), .webhookEnabled: .bool(true),
    .webhookEvents: .events(.only(["MESSAGES_UPSERT", "CONNECTION_UPDATE"])),
]

@Suite struct PresenceTable {
    @Test func inManifestOnlyIsCreated() throws {
        let result = try plan(desired: [desired("a", webhook, token: "t")], managed: [], observed: [])
        #expect(result.changes.map(\.action) == [.create])
        #expect(result.changes[0].fieldChanges.map(\.field) == [.token, .webhookURL, .webhookEnabled, .webhookEvents])
        #expect(result.changes[0].fieldChanges.allSatisfy { $0.before == nil })
        #expect(result.drift.isEmpty)
    }

    @Test func onServerButNotInStateIsAnErrorSuggestingImport() {
        #expect(throws: PlanningError(problems: [.existsUnmanaged("a")])) {
            try plan(desired: [desired("a")], managed: [], observed: [observed("a")])
        }
    }

    @Test func inStateButDeletedOnServerIsCreatedWithDrift() throws {
        let result = try plan(desired: [desired("a", webhook)], managed: [managed("a", webhook)], observed: [])
        #expect(result.changes.map(\.action) == [.create])
        #expect(result.drift == [Drift(name: "a", kind: .deletedOutside)])
    }

    @Test func convergedInstanceIsNoop() throws {
        let result = try plan(
            desired: [desired("a", webhook, token: "t")], managed: [managed("a", webhook, token: "t")],
            observed: [observed("a", webhook, token: "t")])
        #expect(result.changes.map(\.action) == [.noop])
        #expect(!result.hasChanges)
        #expect(result.drift.isEmpty)
    }

    @Test func removedFromManifestIsDeleted() throws {
        let result = try plan(desired: [], managed: [managed("a", webhook)], observed: [observed("a", webhook)])
        #expect(result.changes.map(\.action) == [.delete])
        #expect(result.changes[0].fieldChanges.allSatisfy { $0.after == nil })
    }

    @Test func goneEverywhereButStateIsForgotten() throws {
        let result = try plan(desired: [], managed: [managed("a")], observed: [])
        #expect(result.changes.map(\.action) == [.forget])
        #expect(result.drift == [Drift(name: "a", kind: .deletedOutside)])
    }

    @Test func instancesEvoformDoesNotOwnAreNeverTouched() throws {
        let result = try plan(desired: [], managed: [], observed: [observed("theirs", webhook)])
        #expect(result.changes.isEmpty)
    }
}

@Suite struct FieldComparison {
    @Test func changedEventsAreAnUpdateThroughWebhookSet() throws {
        var wanted = webhook
        wanted[.webhookEvents] = .events(.only(["MESSAGES_UPSERT"]))
        let result = try plan(desired: [desired("a", wanted)], managed: [managed("a", webhook)], observed: [observed("a", webhook)])
        let change = try #require(result.changes.first)
        #expect(change.action == .update)
        #expect(change.groupsToSet == [.webhook])
        #expect(change.fieldChanges == [FieldChange(field: .webhookEvents, before: webhook[.webhookEvents], after: wanted[.webhookEvents])])
    }

    @Test func eventOrderAndTheFullListDoNotMatter() throws {
        let full = EventCatalog.v1.reversed()
        let wanted: [Field: FieldValue] = [.webhookEvents: .events(.only(Set(full)))]
        let result = try plan(
            desired: [desired("a", wanted)], managed: [managed("a", [.webhookEvents: .events(.all)])],
            observed: [observed("a", [.webhookEvents: .events(.all)])], version: .v1)
        #expect(result.changes.map(\.action) == [.noop])
    }

    @Test func unmanagedFieldsAreNeverCompared() throws {
        let result = try plan(
            desired: [desired("a", [.rejectCall: .bool(true)])], managed: [managed("a", [.rejectCall: .bool(true)])],
            observed: [observed("a", [.rejectCall: .bool(true), .groupsIgnore: .bool(true), .msgCall: .string("x")])])
        #expect(result.changes.map(\.action) == [.noop])
    }

    @Test func createOnlyFieldsNeverCauseADiff() throws {
        let result = try plan(
            desired: [desired("a", [.qrcode: .bool(true)])], managed: [managed("a", [.qrcode: .bool(false)])],
            observed: [observed("a")])
        #expect(result.changes.map(\.action) == [.noop])
        #expect(result.drift.isEmpty)
    }

    @Test func changedTokenForcesReplaceWithWarning() throws {
        let result = try plan(
            desired: [desired("a", token: "new")], managed: [managed("a", token: "old")], observed: [observed("a", token: "old")])
        let change = try #require(result.changes.first)
        #expect(change.action == .replace)
        #expect(change.reason == "token cannot change after creation")
        #expect(change.warnings.contains { $0.contains("pair again") })
        #expect(change.fieldChanges.map(\.field) == [.token])
    }

    @Test func unreportedTokenIsTakenFromState() throws {
        let result = try plan(
            desired: [desired("a", token: "t")], managed: [managed("a", token: "t")], observed: [observed("a")])
        #expect(result.changes.map(\.action) == [.noop])
        #expect(result.drift.isEmpty)
    }

    @Test func disabledWebhookComparesOnlyEnabled() throws {
        let wanted: [Field: FieldValue] = [.webhookURL: .string("https://x.example"), .webhookEnabled: .bool(false)]
        let result = try plan(
            desired: [desired("a", wanted)], managed: [managed("a", wanted)],
            observed: [observed("a", [.webhookEnabled: .bool(false)])])
        #expect(result.changes.map(\.action) == [.noop])
    }

    @Test func severalGroupsAreSetInDeclarationOrder() throws {
        let wanted: [Field: FieldValue] = [.rejectCall: .bool(true), .webhookEnabled: .bool(true), .chatwootSignMsg: .bool(true)]
        let result = try plan(desired: [desired("a", wanted)], managed: [managed("a")], observed: [observed("a")])
        #expect(result.changes.first?.groupsToSet == [.webhook, .chatwoot, .settings])
    }
}

@Suite struct DriftAndLifecycle {
    @Test func outOfBandChangeIsDriftAndPlannedBack() throws {
        var tampered = webhook
        tampered[.webhookURL] = .string("https://evil.example")
        let result = try plan(desired: [desired("a", webhook)], managed: [managed("a", webhook)], observed: [observed("a", tampered)])
        #expect(result.drift == [Drift(name: "a", kind: .changedOutside([FieldChange(field: .webhookURL, before: webhook[.webhookURL], after: tampered[.webhookURL])]))])
        #expect(result.changes.first?.action == .update)
    }

    @Test func ignoreChangesSuppressesTheUpdateButNotTheDrift() throws {
        var tampered = webhook
        tampered[.webhookURL] = .string("https://other.example")
        let lifecycle = Lifecycle(ignoreChanges: Set(Lifecycle.fields(forIgnoreKey: "webhook")!))
        let result = try plan(
            desired: [desired("a", webhook, lifecycle: lifecycle)], managed: [managed("a", webhook)], observed: [observed("a", tampered)])
        #expect(result.changes.map(\.action) == [.noop])
        #expect(result.drift.count == 1)
    }

    @Test func preventDestroyBlocksReplace() {
        #expect(throws: PlanningError(problems: [.preventDestroy("a", .replace)])) {
            try plan(
                desired: [desired("a", token: "new", lifecycle: Lifecycle(preventDestroy: true))],
                managed: [managed("a", token: "old")], observed: [observed("a", token: "old")])
        }
    }

    @Test func massDisappearanceStopsThePlan() {
        let names = ["a", "b", "c", "d", "e"]
        #expect(throws: PlanningError(problems: [.massDisappearance(missing: 4, managed: 5)])) {
            try plan(desired: names.map { desired($0) }, managed: names.map { managed($0) }, observed: [observed("a")])
        }
    }

    @Test func targetsLimitThePlanAndUnknownTargetsAreErrors() throws {
        let result = try plan(
            desired: [desired("a"), desired("b")], managed: [], observed: [], targets: ["b"])
        #expect(result.changes.map(\.name) == ["b"])
        #expect(throws: PlanningError(problems: [.unknownTarget("bb", suggestion: "b")])) {
            try plan(desired: [desired("a"), desired("b")], managed: [], observed: [], targets: ["bb"])
        }
    }

    @Test func refreshFalsePlansFromTheState() throws {
        var wanted = webhook
        wanted[.webhookURL] = .string("https://new.example")
        let result = try plan(
            desired: [desired("a", wanted), desired("b")], managed: [managed("a", webhook), managed("gone")], observed: nil)
        #expect(result.changes.map(\.action) == [.update, .create, .delete])
        #expect(!result.refreshed)
    }
}
