import EvoformCore

/// Everything the planner looks at. Pure data: the caller reads the manifest, state and server.
public struct PlanInput: Sendable {
    /// The manifest's instances, in manifest order.
    public var desired: [DesiredInstance]
    /// The instances the state says evoform owns.
    public var managed: [ManagedInstance]
    /// What the server reported, for every instance that exists there; nil plans from the state
    /// alone (`--refresh=false`).
    public var observed: [InstanceName: ObservedInstance]?
    public var apiVersion: APIVersion
    public var fingerprinter: SecretFingerprinter
    /// Limit the plan to these instances (`--target`); empty means all.
    public var targets: Set<InstanceName>

    public init(
        desired: [DesiredInstance], managed: [ManagedInstance], observed: [InstanceName: ObservedInstance]?,
        apiVersion: APIVersion, fingerprinter: SecretFingerprinter, targets: Set<InstanceName> = []
    ) {
        self.desired = desired
        self.managed = managed
        self.observed = observed
        self.apiVersion = apiVersion
        self.fingerprinter = fingerprinter
        self.targets = targets
    }
}

/// Decides the smallest set of calls that makes the server match the manifest. Pure: no I/O, no
/// clock, no randomness; the same input always gives the same plan.
public enum Planner {
    /// Below this many managed instances the mass-disappearance guard stays quiet.
    static let massDisappearanceMinimum = 4

    public static func plan(_ input: PlanInput) throws(PlanningError) -> Plan {
        let version = input.apiVersion
        let managedByName = Dictionary(input.managed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let desiredNames = Set(input.desired.map(\.name))
        var problems: [PlanningError.Problem] = []

        for target in input.targets.sorted() where !desiredNames.contains(target) && managedByName[target] == nil {
            let candidates = input.desired.map(\.name.rawValue) + input.managed.map(\.name.rawValue)
            problems.append(.unknownTarget(target.rawValue, suggestion: Suggestion.closest(to: target.rawValue, in: candidates)))
        }
        func inScope(_ name: InstanceName) -> Bool { input.targets.isEmpty || input.targets.contains(name) }

        let managedInScope = input.managed.filter { inScope($0.name) }
        if let observed = input.observed, managedInScope.count >= massDisappearanceMinimum {
            let missing = managedInScope.filter { observed[$0.name] == nil }.count
            if missing * 2 > managedInScope.count {
                throw PlanningError(problems: [.massDisappearance(missing: missing, managed: managedInScope.count)])
            }
        }

        var changes: [InstanceChange] = []
        var drift: [Drift] = []

        for desired in input.desired where inScope(desired.name) {
            let wanted = desired.comparable(using: input.fingerprinter).normalized(for: version)
            let managed = managedByName[desired.name]
            let recorded = managed?.configuration.normalized(for: version)
            let observed = currentView(of: desired.name, input: input, recorded: recorded)

            guard let observed else {
                if managed != nil { drift.append(Drift(name: desired.name, kind: .deletedOutside)) }
                changes.append(creation(of: desired.name, wanted: wanted))
                continue
            }
            guard let recorded else {
                problems.append(.existsUnmanaged(desired.name))
                continue
            }
            var current = observed.comparable(using: input.fingerprinter).normalized(for: version)
            let driftFields = recorded.fields.filter { $0.group != .createOnly && !($0.isSecret && current[$0] == nil) }
            let driftChanges = differences(from: recorded, to: current, fields: driftFields)
            // A secret the server does not report is taken to be what evoform last applied.
            for field in recorded.fields where field.isSecret && current[field] == nil { current[field] = recorded[field] }
            if !driftChanges.isEmpty { drift.append(Drift(name: desired.name, kind: .changedOutside(driftChanges))) }

            let change = comparison(of: desired, wanted: wanted, current: current)
            if desired.lifecycle.preventDestroy, change.action == .replace {
                problems.append(.preventDestroy(desired.name, .replace))
            }
            changes.append(change)
        }

        for managed in input.managed.sorted(by: { $0.name < $1.name })
        where !desiredNames.contains(managed.name) && inScope(managed.name) {
            let recorded = managed.configuration.normalized(for: version)
            let removed = recorded.fields.map { FieldChange(field: $0, before: recorded[$0], after: nil) }
            if currentView(of: managed.name, input: input, recorded: recorded) == nil {
                drift.append(Drift(name: managed.name, kind: .deletedOutside))
                changes.append(InstanceChange(name: managed.name, action: .forget, fieldChanges: removed))
            } else {
                changes.append(InstanceChange(name: managed.name, action: .delete, fieldChanges: removed))
            }
        }

        if !problems.isEmpty { throw PlanningError(problems: problems) }
        return Plan(changes: changes, drift: drift, apiVersion: version, refreshed: input.observed != nil)
    }

    /// The server's view of one instance: observed, or with `--refresh=false` the state's record.
    private static func currentView(
        of name: InstanceName, input: PlanInput, recorded: InstanceConfiguration?
    ) -> ObservedInstance? {
        if let observed = input.observed { return observed[name] }
        guard let recorded else { return nil }
        return ObservedInstance(name: name, configuration: recorded)
    }

    private static func creation(of name: InstanceName, wanted: InstanceConfiguration) -> InstanceChange {
        InstanceChange(
            name: name, action: .create,
            fieldChanges: wanted.fields.map { FieldChange(field: $0, before: nil, after: wanted[$0]) })
    }

    /// Compares a managed instance that exists: no-op, update in place, or replace.
    private static func comparison(
        of desired: DesiredInstance, wanted: InstanceConfiguration, current: InstanceConfiguration
    ) -> InstanceChange {
        let compared = comparedFields(of: wanted).filter { !desired.lifecycle.ignoreChanges.contains($0) }
        let fieldChanges = differences(from: current, to: wanted, fields: compared)
        let forcing = fieldChanges.filter { $0.field.group == .replaceForcing }
        if !forcing.isEmpty {
            let all = wanted.fields.map { FieldChange(field: $0, before: current[$0], after: wanted[$0]) }
            return InstanceChange(
                name: desired.name, action: .replace,
                fieldChanges: all.filter { $0.before != $0.after || $0.field.group == .replaceForcing },
                reason: forcing.map { "\($0.field.rawValue) cannot change after creation" }.joined(separator: "; "),
                warnings: ["the instance is deleted and created again: its phone must pair again (scan a new QR code)"])
        }
        guard !fieldChanges.isEmpty else { return InstanceChange(name: desired.name, action: .noop) }
        let groups = FieldGroup.allCases.filter { group in fieldChanges.contains { $0.field.group == group } }
        return InstanceChange(name: desired.name, action: .update, fieldChanges: fieldChanges, groupsToSet: groups)
    }

    /// The managed fields that are compared after creation. Create-only fields never are; a
    /// disabled webhook or Chatwoot compares only its `enabled` flag (the server blanks the rest).
    static func comparedFields(of wanted: InstanceConfiguration) -> [Field] {
        wanted.fields.filter { field in
            switch field.group {
            case .createOnly: return false
            case .webhook where wanted[.webhookEnabled] == .bool(false): return field == .webhookEnabled
            case .chatwoot where wanted[.chatwootEnabled] == .bool(false): return field == .chatwootEnabled
            default: return true
            }
        }
    }

    /// Field-by-field differences over the given fields; absent and present differ.
    static func differences(
        from before: InstanceConfiguration, to after: InstanceConfiguration, fields: [Field]
    ) -> [FieldChange] {
        fields.compactMap { field in
            before[field] == after[field] ? nil : FieldChange(field: field, before: before[field], after: after[field])
        }
    }
}
