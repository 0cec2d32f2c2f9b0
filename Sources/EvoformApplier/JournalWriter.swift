import EvoformCore
import EvoformState

/// Serialises every state write of a run: the journal is one SQLite connection, and calls finish
/// concurrently. Owns the journal for the duration of the run.
actor JournalWriter {
    private let journal: any StateJournal

    init(_ journal: sending any StateJournal) { self.journal = journal }

    var fingerprinter: SecretFingerprinter { journal.fingerprinter }

    func managedInstance(named name: InstanceName) throws -> ManagedInstance? { try journal.instance(named: name) }

    func intent(_ name: InstanceName, _ action: JournalAction, digest: String) throws -> JournalEntry.ID {
        try journal.journalIntent(instance: name, action: action, requestFingerprint: digest, detail: nil)
    }

    func outcome(_ id: JournalEntry.ID, failure: String? = nil, status: Int? = nil, change: StateChange) throws {
        let outcome: JournalOutcome = failure.map { .failed(status: status, message: $0) } ?? .done
        try journal.journalOutcome(id, outcome: outcome, change: change)
    }

    func unfinished() throws -> [JournalEntry] { try journal.unfinishedJournalEntries() }

    /// Applies the state change, then settles the entry. Two transactions: a crash between them
    /// leaves the entry open, and resolving it again is harmless.
    func resolve(_ id: JournalEntry.ID, _ resolution: String, change: StateChange) throws {
        switch change {
        case .record(let instance): try journal.record(instance)
        case .forget(let name) where try journal.instance(named: name) != nil: try journal.forget(name)
        case .forget, .none: break
        }
        try journal.resolveJournalEntry(id, as: resolution)
    }

    func forget(_ name: InstanceName) throws { try journal.forget(name) }
}
