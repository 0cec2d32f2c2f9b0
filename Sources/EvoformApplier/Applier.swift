import EvoformCore
import EvoformPlanner
import EvoformState
import Foundation

/// How an apply runs.
public struct ApplySettings: Sendable {
    public var serverURL: String
    public var apiVersion: APIVersion
    /// At most this many changes in flight.
    public var parallelism: Int
    /// How long a replace waits for the server to free the name (v2 deletes in the background).
    public var nameReleaseTimeoutSeconds: Int
    public var now: @Sendable () -> Double

    public init(
        serverURL: String, apiVersion: APIVersion, parallelism: Int = 10, nameReleaseTimeoutSeconds: Int = 300,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.serverURL = serverURL
        self.apiVersion = apiVersion
        self.parallelism = max(1, parallelism)
        self.nameReleaseTimeoutSeconds = nameReleaseTimeoutSeconds
        self.now = now
    }
}

/// Executes a plan: every mutating call is journalled before it is sent and recorded, with the
/// instance's new state, as soon as it returns. A crash at any point loses nothing: the next run's
/// `recover` finds the unfinished intents and resolves them by looking at the server.
public struct Applier: Sendable {
    let server: any FleetServer
    let journal: JournalWriter
    let settings: ApplySettings
    let emit: @Sendable (ApplyEvent) -> Void

    public init(
        server: any FleetServer, journal: sending any StateJournal, settings: ApplySettings,
        emit: @escaping @Sendable (ApplyEvent) -> Void
    ) {
        self.server = server
        self.journal = JournalWriter(journal)
        self.settings = settings
        self.emit = emit
    }

    /// A failed step: the message already names instance, endpoint and status.
    struct StepFailure: Error {
        var message: String
    }

    // MARK: - Apply

    /// Runs the plan's changes, at most `parallelism` at once. `observed` is what the plan saw
    /// (for filling fields a set must send but the manifest does not manage).
    public func apply(
        _ plan: Plan, desired: [DesiredInstance], observed: [InstanceName: ObservedInstance],
        interruption: InterruptionFlag = InterruptionFlag()
    ) async -> ApplyReport {
        let desiredByName = Dictionary(desired.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var report = ApplyReport()
        var pending = plan.actionable[...]
        let fingerprinter = journal.fingerprinter
        await withTaskGroup(of: (InstanceChange, StepFailure?).self) { group in
            var running = 0
            // The changes next in line have their first intent committed while the running
            // calls are in flight, so a slot that frees starts its call without waiting for the
            // disk (see `JournalWriter`). At most `parallelism` changes ahead.
            var committedAhead = pending.startIndex
            /// Commits the first intent of each of the next `count` changes in line.
            func commitAhead(_ count: Int) async {
                committedAhead = max(committedAhead, pending.startIndex)
                let end = min(pending.endIndex, pending.startIndex + count)
                while committedAhead < end, !interruption.isRaised {
                    let change = pending[committedAhead]
                    committedAhead += 1
                    if let call = firstIntent(of: change, desired: desiredByName[change.name], fingerprinter: fingerprinter) {
                        await journal.commitAhead(call)
                    }
                }
            }
            func startNext() {
                while running < settings.parallelism, let change = pending.first {
                    pending = pending.dropFirst()
                    if interruption.isRaised {
                        report.skipped.append(change.name)
                        continue
                    }
                    running += 1
                    group.addTask {
                        let start = settings.now()
                        emit(.started(change.name, change.action))
                        do {
                            try await execute(change, desired: desiredByName[change.name], observed: observed[change.name])
                            emit(.finished(change.name, change.action, elapsed: settings.now() - start))
                            return (change, nil)
                        } catch let failure as StepFailure {
                            return (change, failure)
                        } catch {
                            return (change, StepFailure(message: "\(error)"))
                        }
                    }
                }
            }
            // The first wave's intents go with the next wave's: one commit carries them all.
            await commitAhead(2 * settings.parallelism)
            startNext()
            while let (change, failure) = await group.next() {
                running -= 1
                if let failure {
                    let item = ApplyFailure(name: change.name, action: change.action, message: failure.message)
                    report.failures.append(item)
                    emit(.failed(item))
                } else {
                    report.completed[change.action, default: 0] += 1
                }
                startNext()
                await commitAhead(settings.parallelism)
            }
        }
        await journal.settleUnclaimed()
        // Outcomes queued by the last calls are committed now; one that could not be recorded
        // fails its change (the call itself succeeded: the next run looks at the server).
        for late in await journal.drain() {
            let message = "\(late.instance): the server call succeeded, but recording it in the state failed "
                + "(\(late.message)); the next plan or apply looks at the server first"
            if let index = report.failures.firstIndex(where: { $0.name == late.instance }) {
                report.failures[index].message += "; " + message
                continue
            }
            let action = plan.actionable.first { $0.name == late.instance }?.action ?? .update
            if let count = report.completed[action], count > 0 { report.completed[action] = count - 1 }
            let item = ApplyFailure(name: late.instance, action: action, message: message)
            report.failures.append(item)
            emit(.failed(item))
        }
        report.failures.sort { $0.name < $1.name }
        return report
    }

    func execute(_ change: InstanceChange, desired: DesiredInstance?, observed: ObservedInstance?) async throws {
        switch change.action {
        case .create:
            try await create(try required(desired, for: change))
        case .update:
            let desired = try required(desired, for: change)
            for group in change.groupsToSet { try await set(group, desired: desired, current: observed) }
        case .replace:
            let desired = try required(desired, for: change)
            try await delete(change.name)
            do {
                try await server.waitUntilGone(change.name, timeoutSeconds: settings.nameReleaseTimeoutSeconds)
            } catch {
                throw StepFailure(message: "\(change.name): the server did not free the name after delete: \(error)")
            }
            try await create(desired)
        case .delete:
            try await delete(change.name)
        case .forget:
            try await journal.forget(change.name)
        case .noop:
            break
        }
    }

    /// The intent the first call of `change` journals (the same one its step computes); nil for
    /// a change that calls nothing.
    func firstIntent(
        of change: InstanceChange, desired: DesiredInstance?, fingerprinter: SecretFingerprinter
    ) -> CallIntent? {
        switch change.action {
        case .create:
            guard let desired else { return nil }
            return .create(desired.name, wanted: desired.comparable(using: fingerprinter))
        case .update:
            guard let desired, let group = change.groupsToSet.first else { return nil }
            return .set(group, of: desired.name, wanted: desired.comparable(using: fingerprinter).restricted(to: group))
        case .replace, .delete:
            return .delete(change.name)
        case .forget, .noop:
            return nil
        }
    }

    private func required(_ desired: DesiredInstance?, for change: InstanceChange) throws -> DesiredInstance {
        guard let desired else { throw StepFailure(message: "\(change.name): not in the manifest any more") }
        return desired
    }

    // MARK: - Steps

    /// Create, record, then set what the create could not store reliably. A create that failed
    /// or lost its answer is never sent again: the server is asked first.
    func create(_ desired: DesiredInstance) async throws {
        let fingerprinter = journal.fingerprinter
        let wanted = desired.comparable(using: fingerprinter)
        let id = try await journal.intent(.create(desired.name, wanted: wanted))
        var attempt = 1
        var result: CreationResult?
        while result == nil {
            do {
                result = try await server.createInstance(desired)
            } catch {
                guard let delay = try await resolveFailedCreate(desired, journalID: id, error: error, attempt: attempt) else {
                    return
                }
                emit(.warning(desired.name, "\(describe(error)); it is not on the server, so it is created again in \(Self.seconds(delay))"))
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                attempt += 1
            }
        }
        guard let result else { return }
        emit(.called(desired.name, "POST /instance/create"))
        var applied = result.applied
        for (field, value) in wanted.values where field.isSecret && !result.pendingGroups.contains(field.group) {
            applied[field] = value
        }
        if let qrcode = wanted[.qrcode] { applied[.qrcode] = qrcode }
        let record = ManagedInstance(
            name: desired.name, serverURL: settings.serverURL, apiVersion: settings.apiVersion, serverID: result.serverID,
            configuration: applied, createdAt: settings.now(), updatedAt: settings.now())
        await journal.outcomeLater(id, of: desired.name, change: .record(record))
        if result.qrCode != nil || result.qrPNG != nil {
            emit(.qrCode(desired.name, code: result.qrCode, png: result.qrPNG))
        }
        for group in FieldGroup.allCases where result.pendingGroups.contains(group) {
            try await set(group, desired: desired, current: nil)
        }
    }

    /// After a create error, the server is asked first. If the instance exists anyway (a lost
    /// answer, or v1's half-created instance) it is adopted and converged. If it does not, the
    /// create may be tried again: the delay to wait is returned; otherwise the failure is recorded
    /// and thrown. Returns nil when the step is finished.
    private func resolveFailedCreate(
        _ desired: DesiredInstance, journalID id: JournalEntry.ID, error createError: any Error, attempt: Int
    ) async throws -> Double? {
        let lookup: ObservedInstance?
        do {
            lookup = try await server.observe([desired.name: groupsManaged(by: desired)], parallelism: 1)[desired.name]
        } catch {
            // The intent stays open; the next run looks again before doing anything.
            throw StepFailure(
                message: "\(describe(createError)); the server could not be asked whether the instance exists "
                    + "(\(describe(error))): the next run looks before creating")
        }
        guard let lookup else {
            if let delay = server.createRetryDelay(after: createError, attempt: attempt) { return delay }
            try await journal.outcome(id, of: desired.name, failure: describe(createError), change: .none)
            throw StepFailure(message: describe(createError))
        }
        let fingerprinter = journal.fingerprinter
        let record = ManagedInstance(
            name: desired.name, serverURL: settings.serverURL, apiVersion: settings.apiVersion, serverID: lookup.serverID,
            configuration: Adoption.configuration(desired: desired, observed: lookup, fingerprinter: fingerprinter),
            createdAt: settings.now(), updatedAt: settings.now())
        try await journal.outcome(id, of: desired.name, change: .record(record))
        emit(.recovered(desired.name, "the create's answer was lost or failed, but the instance exists: adopted it"))
        try await converge(desired, record: record, current: lookup)
        let transient = server.isOutcomeUnknown(createError) || server.createRetryDelay(after: createError, attempt: 1) != nil
        if !transient {
            throw StepFailure(message: describe(createError) + " (the server kept the instance; evoform adopted it)")
        }
        return nil
    }

    static func seconds(_ value: Double) -> String { "\((value * 10).rounded() / 10)s" }

    /// Sets whatever still differs between the manifest and the server for one instance.
    func converge(_ desired: DesiredInstance, record: ManagedInstance, current: ObservedInstance) async throws {
        let fingerprinter = journal.fingerprinter
        let plan = try Planner.plan(
            PlanInput(
                desired: [desired], managed: [record], observed: [desired.name: current],
                apiVersion: settings.apiVersion, fingerprinter: fingerprinter))
        guard let change = plan.changes.first, change.action == .update else { return }
        for group in change.groupsToSet { try await set(group, desired: desired, current: current) }
    }

    /// One `set` call: journalled, then the group's fields recorded as applied.
    func set(_ group: FieldGroup, desired: DesiredInstance, current: ObservedInstance?) async throws {
        let fingerprinter = journal.fingerprinter
        let wanted = desired.comparable(using: fingerprinter).restricted(to: group)
        let id = try await journal.intent(.set(group, of: desired.name, wanted: wanted))
        do {
            try await server.set(group, of: desired.name, desired: desired.configuration, secrets: desired.secrets, current: current)
        } catch {
            if !server.isOutcomeUnknown(error) {
                try await journal.outcome(id, of: desired.name, failure: describe(error), change: .none)
            }
            throw StepFailure(message: describe(error))
        }
        emit(.called(desired.name, Self.setPath(group, desired.name)))
        var record = try await journal.managedInstance(named: desired.name)
            ?? ManagedInstance(name: desired.name, serverURL: settings.serverURL, apiVersion: settings.apiVersion, createdAt: settings.now())
        for field in group.fields { record.configuration[field] = wanted[field] }
        record.updatedAt = settings.now()
        await journal.outcomeLater(id, of: desired.name, change: .record(record))
    }

    /// Delete (the client logs out first where the version needs it) and forget.
    func delete(_ name: InstanceName) async throws {
        let id = try await journal.intent(.delete(name))
        do {
            try await server.delete(name)
        } catch where server.isNotFound(error) {
            // Already gone: the goal is reached.
        } catch {
            if !server.isOutcomeUnknown(error) { try await journal.outcome(id, of: name, failure: describe(error), change: .none) }
            throw StepFailure(message: describe(error))
        }
        emit(.called(name, "DELETE /instance/delete/\(name)"))
        await journal.outcomeLater(id, of: name, change: .forget(name))
    }

    // MARK: - Recovery

    /// Resolves the intents an interrupted run left open, by looking at the server: a create
    /// whose instance exists is adopted, one that does not is planned again; a delete whose
    /// instance is gone is forgotten; a set is simply re-observed by the next plan.
    /// Returns how many entries were resolved.
    @discardableResult
    public func recover(desired: [DesiredInstance]) async throws -> Int {
        let calls = try await journal.unfinished()
        guard !calls.isEmpty else { return 0 }
        let desiredByName = Dictionary(desired.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var wanted: [InstanceName: Set<FieldGroup>] = [:]
        for call in calls { wanted[call.instance] = desiredByName[call.instance].map(groupsManaged(by:)) ?? [] }
        let observed = try await server.observe(wanted, parallelism: settings.parallelism)
        let fingerprinter = journal.fingerprinter
        for call in calls {
            let present = observed[call.instance]
            switch (call.action, present) {
            case (.create, let instance?):
                let configuration = Adoption.configuration(
                    desired: desiredByName[call.instance], observed: instance, fingerprinter: fingerprinter)
                let record = ManagedInstance(
                    name: call.instance, serverURL: settings.serverURL, apiVersion: settings.apiVersion,
                    serverID: instance.serverID, configuration: configuration, createdAt: settings.now(),
                    updatedAt: settings.now())
                try await journal.resolve(call.id, "adopted: the instance exists", change: .record(record))
                emit(.recovered(call.instance, "an interrupted create had reached the server: adopted the instance"))
            case (.create, nil):
                try await journal.resolve(call.id, "not created: the instance does not exist", change: .none)
                emit(.recovered(call.instance, "an interrupted create never reached the server: it will be planned again"))
            case (.delete, nil):
                try await journal.resolve(call.id, "deleted: the instance is gone", change: .forget(call.instance))
                emit(.recovered(call.instance, "an interrupted delete had completed: forgotten"))
            case (.delete, _?):
                try await journal.resolve(call.id, "not deleted: the instance still exists", change: .none)
                emit(.recovered(call.instance, "an interrupted delete did not complete: it will be planned again"))
            case (.setWebhook, _), (.setChatwoot, _), (.setSettings, _), (.logout, _):
                try await journal.resolve(call.id, "re-observed by the next plan", change: .none)
                emit(.recovered(call.instance, "an interrupted \(call.action.rawValue) will be checked against the server"))
            }
        }
        return calls.count
    }

    // MARK: - Helpers

    func groupsManaged(by desired: DesiredInstance) -> Set<FieldGroup> {
        var groups = Set(desired.configuration.fields.map(\.group))
        if desired.secrets[.chatwootToken] != nil { groups.insert(.chatwoot) }
        return groups.intersection([.webhook, .chatwoot, .settings])
    }

    static func setPath(_ group: FieldGroup, _ name: InstanceName) -> String {
        switch group {
        case .webhook: "POST /webhook/set/\(name)"
        case .chatwoot: "POST /chatwoot/set/\(name)"
        default: "POST /settings/set/\(name)"
        }
    }

    func describe(_ error: any Error) -> String {
        (error as? any UserFacingError)?.userMessage ?? "\(error)"
    }
}
