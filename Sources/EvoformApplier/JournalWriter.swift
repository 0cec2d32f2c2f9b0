import EvoformCore

/// Serialises every state write of a run: the journal is one SQLite connection, and calls finish
/// concurrently. Owns the journal for the duration of the run.
actor JournalWriter {
    private let journal: any StateJournal

    init(_ journal: sending any StateJournal) { self.journal = journal }

    var fingerprinter: SecretFingerprinter { journal.fingerprinter }

    func managedInstance(named name: InstanceName) throws -> ManagedInstance? { try journal.managedInstance(named: name) }

    func intent(_ name: InstanceName, _ call: JournalCall, digest: String) throws -> Int64 {
        try journal.recordIntent(instance: name, call: call, requestDigest: digest)
    }

    func outcome(_ id: Int64, failure: String? = nil, status: Int? = nil, change: RecordChange) throws {
        try journal.recordOutcome(id, failure: failure, status: status, change: change)
    }

    func unfinished() throws -> [UnfinishedCall] { try journal.unfinishedCalls() }

    func resolve(_ id: Int64, _ resolution: String, change: RecordChange) throws {
        try journal.resolve(id, resolution: resolution, change: change)
    }

    func forget(_ name: InstanceName) throws { try journal.forgetInstance(name) }
}
