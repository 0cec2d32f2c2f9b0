import EvoformCore

/// One journal write, for `StateStore.journalBatch`: the same as a `journalIntent` or a
/// `journalOutcome` call.
public enum JournalWrite: Hashable, Sendable {
    case intent(instance: InstanceName, action: JournalAction, requestFingerprint: String, detail: JSONValue?)
    case outcome(JournalEntry.ID, JournalOutcome, StateChange)
}
