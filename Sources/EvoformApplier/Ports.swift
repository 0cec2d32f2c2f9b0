import EvoformCore

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

/// The kinds of mutating call the journal records.
public enum JournalCall: String, Sendable, CaseIterable {
    case create, delete, setWebhook, setChatwoot, setSettings

    public static func set(_ group: FieldGroup) -> JournalCall {
        switch group {
        case .webhook: .setWebhook
        case .chatwoot: .setChatwoot
        default: .setSettings
        }
    }
}

/// An intent left by a run that did not finish.
public struct UnfinishedCall: Sendable, Hashable {
    public var id: Int64
    public var instance: InstanceName
    public var call: JournalCall

    public init(id: Int64, instance: InstanceName, call: JournalCall) {
        self.id = id
        self.instance = instance
        self.call = call
    }
}

/// What the applier needs of the state: the journal and the records. `StateStore`
/// (EvoformState) provides it. Calls are made one at a time (the applier serialises them).
public protocol StateJournal: AnyObject {
    var fingerprinter: SecretFingerprinter { get }
    func managedInstance(named name: InstanceName) throws -> ManagedInstance?
    /// Writes and commits an intent before the call is sent.
    func recordIntent(instance: InstanceName, call: JournalCall, requestDigest: String) throws -> Int64
    /// In one transaction: marks the intent done or failed and applies the state change.
    func recordOutcome(_ id: Int64, failure: String?, status: Int?, change: RecordChange) throws
    func unfinishedCalls() throws -> [UnfinishedCall]
    func resolve(_ id: Int64, resolution: String, change: RecordChange) throws
    func forgetInstance(_ name: InstanceName) throws
}

/// The state change that goes with a journal outcome.
public enum RecordChange: Sendable {
    case record(ManagedInstance)
    case forget(InstanceName)
    case none
}
