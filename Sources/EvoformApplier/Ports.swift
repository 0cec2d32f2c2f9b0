import EvoformCore
import EvoformState

/// What the applier needs of a server. `EvolutionClient` (EvoformRemote) provides it; the
/// protocol keeps the applier testable and free of wire details.
public protocol FleetServer: Sendable {
    func observe(_ wanted: [InstanceName: Set<FieldGroup>], parallelism: Int) async throws -> [InstanceName: ObservedInstance]
    func createInstance(_ instance: DesiredInstance) async throws -> CreationResult
    func delete(_ name: InstanceName) async throws
    func waitUntilGone(_ name: InstanceName, timeoutSeconds: Int) async throws
    func set(
        _ group: FieldGroup, of name: InstanceName, desired: InstanceConfiguration, secrets: [Field: Secret],
        current: ObservedInstance?
    ) async throws
    /// Whether an error means "the instance does not exist" (a delete of a gone instance is done).
    func isNotFound(_ error: any Error) -> Bool
    /// Whether an error means the request may have been applied but its answer was lost.
    func isOutcomeUnknown(_ error: any Error) -> Bool
    /// Seconds to wait before creating again after `error`, once the server has been asked and
    /// the instance is not there (overload, a 5xx, a lost answer); nil when trying again cannot help
    /// or `attempt` was the last.
    func createRetryDelay(after error: any Error, attempt: Int) -> Double?
}

/// What a create gave back, in the applier's terms.
public struct CreationResult: Sendable {
    public var serverID: String?
    /// What the server now holds for certain.
    public var applied: InstanceConfiguration
    /// Groups that must still be set through their own endpoint.
    public var pendingGroups: Set<FieldGroup>
    public var qrCode: String?
    public var qrPNG: [UInt8]?

    public init(
        serverID: String?, applied: InstanceConfiguration, pendingGroups: Set<FieldGroup>, qrCode: String? = nil,
        qrPNG: [UInt8]? = nil
    ) {
        self.serverID = serverID
        self.applied = applied
        self.pendingGroups = pendingGroups
        self.qrCode = qrCode
        self.qrPNG = qrPNG
    }
}

extension JournalAction {
    /// The journal action of a `set` call for one group.
    public static func set(_ group: FieldGroup) -> JournalAction {
        switch group {
        case .webhook: .setWebhook
        case .chatwoot: .setChatwoot
        default: .setSettings
        }
    }
}

/// What the applier needs of the state: the journal and the records. `StateStore`
/// (EvoformState) provides exactly this; tests use an in-memory one. Calls are made one at a
/// time (the applier serialises them).
public protocol StateJournal: AnyObject {
    var fingerprinter: SecretFingerprinter { get }
    func instance(named name: InstanceName) throws -> ManagedInstance?
    /// Writes and commits an intent before the call is sent.
    func journalIntent(
        instance: InstanceName, action: JournalAction, requestFingerprint: String, detail: JSONValue?
    ) throws -> JournalEntry.ID
    /// In one transaction: marks the intent done or failed and applies the state change.
    func journalOutcome(_ id: JournalEntry.ID, outcome: JournalOutcome, change: StateChange) throws
    func unfinishedJournalEntries() throws -> [JournalEntry]
    /// Settles an interrupted intent once the server has been looked at.
    func resolveJournalEntry(_ id: JournalEntry.ID, as resolution: String) throws
    @discardableResult func record(_ instance: ManagedInstance) throws -> ManagedInstance
    func forget(_ name: InstanceName) throws
    /// Several intents and outcomes at once, each with the effect of its own call, in one commit
    /// where the store can (group commit); one result per write, in order: the new entry's id for
    /// an intent, nil for an outcome. The default makes the calls one by one.
    func commit(_ writes: [JournalWrite]) -> [Result<JournalEntry.ID?, any Error>]
}

extension StateJournal {
    public func commit(_ writes: [JournalWrite]) -> [Result<JournalEntry.ID?, any Error>] {
        writes.map { write in
            Result { () throws -> JournalEntry.ID? in
                switch write {
                case .intent(let instance, let action, let fingerprint, let detail):
                    return try journalIntent(instance: instance, action: action, requestFingerprint: fingerprint, detail: detail)
                case .outcome(let id, let outcome, let change):
                    try journalOutcome(id, outcome: outcome, change: change)
                    return nil
                }
            }
        }
    }
}

extension StateStore: StateJournal {
    /// One transaction for the whole batch (`journalBatch`): one fsync instead of one per write.
    public func commit(_ writes: [JournalWrite]) -> [Result<JournalEntry.ID?, any Error>] {
        journalBatch(writes).map { $0.mapError { $0 } }
    }
}
