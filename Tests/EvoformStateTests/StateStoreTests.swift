import EvoformCore
@testable import EvoformState
import Foundation
import Testing

@Suite("StateStore: records, serial, journal, history, backup, pull")
struct StateStoreTests {
    let directory = TemporaryDirectory()
    let clock = TestClock()

    func open(_ operation: String = "apply", createIfMissing: Bool = true) throws(StateError) -> StateStore {
        try StateStore.open(at: directory.statePath, operation: operation, createIfMissing: createIfMissing, now: clock.now)
    }

    @Test("a new state gets a random lineage, serial 0 and no instances")
    func newState() throws {
        let store = try open()
        defer { store.close() }
        #expect(UUID(uuidString: store.lineage) != nil)
        #expect(store.lineage == store.lineage.lowercased())
        #expect(store.serial == 0)
        #expect(try store.instances().isEmpty)
        #expect(try store.unfinishedJournalEntries().isEmpty)
        #expect(try store.history().isEmpty)
        #expect(FileManager.default.fileExists(atPath: directory.statePath.path))
        let other = TemporaryDirectory()
        let second = try StateStore.open(at: other.statePath, operation: "apply")
        defer { second.close() }
        #expect(second.lineage != store.lineage)
    }

    @Test("reopening keeps the lineage, the salt and every record")
    func reopening() throws {
        let first = try open()
        let lineage = first.lineage
        let fingerprint = first.fingerprinter.fingerprint(Secret("s3cret"))
        let instance = sampleInstance("sales01", fingerprinter: first.fingerprinter)
        try first.record(instance)
        first.close()

        let second = try open()
        defer { second.close() }
        #expect(second.lineage == lineage)
        #expect(second.serial == 1)
        #expect(second.fingerprinter.fingerprint(Secret("s3cret")) == fingerprint)
        let stored = try #require(try second.instance(named: "sales01"))
        #expect(stored.configuration == instance.configuration)
        #expect(stored.serverURL == instance.serverURL)
        #expect(stored.apiVersion == .v2)
        #expect(stored.serverID == "srv-1")
    }

    @Test("fingerprints are HMAC-SHA256 with the state's own salt")
    func fingerprints() throws {
        let store = try open()
        defer { store.close() }
        let fingerprint = store.fingerprinter.fingerprint(Secret("s3cret")).rawValue
        #expect(fingerprint == HMACSHA256.hexAuthenticationCode(key: store.salt, message: "s3cret"))
        #expect(fingerprint.count == 64)
        #expect(store.salt.count == 32)
        #expect(store.fingerprinter.fingerprint(Secret("other")).rawValue != fingerprint)
        let other = TemporaryDirectory()
        let second = try StateStore.open(at: other.statePath, operation: "apply")
        defer { second.close() }
        #expect(second.fingerprinter.fingerprint(Secret("s3cret")).rawValue != fingerprint)
    }

    @Test("createIfMissing false: a missing state is .missing and nothing is created")
    func missingNotCreated() {
        let error = stateError { () throws(StateError) in try open(createIfMissing: false) }
        #expect(error == .missing(path: directory.statePath.path))
        #expect(!FileManager.default.fileExists(atPath: directory.statePath.deletingLastPathComponent().path))
    }

    @Test("record inserts or updates, keeps createdAt, sets updatedAt, and adds one to the serial")
    func recordUpserts() throws {
        let store = try open()
        defer { store.close() }
        let created = clock.current
        let stored = try store.record(sampleInstance("sales01", fingerprinter: store.fingerprinter))
        #expect(stored.createdAt == created)
        #expect(stored.updatedAt == created)
        #expect(store.serial == 1)

        clock.advance(by: 60)
        var changed = sampleInstance("sales01", fingerprinter: store.fingerprinter, serverID: nil)
        changed.configuration[.webhookURL] = .string("https://elsewhere.example.com")
        changed.apiVersion = .v1
        changed.createdAt = 5
        try store.record(changed)
        #expect(store.serial == 2)
        let updated = try #require(try store.instance(named: "sales01"))
        #expect(updated.createdAt == created)
        #expect(updated.updatedAt == created + 60)
        #expect(updated.configuration[.webhookURL] == .string("https://elsewhere.example.com"))
        #expect(updated.apiVersion == .v1)
        #expect(updated.serverID == nil)
        #expect(try store.instances().count == 1)
    }

    @Test("instances come back sorted by name")
    func sortedByName() throws {
        let store = try open()
        defer { store.close() }
        for name in ["support01", "alpha", "sales01", "helpdesk"] {
            try store.record(sampleInstance(name, fingerprinter: store.fingerprinter))
        }
        #expect(try store.instances().map(\.name) == ["alpha", "helpdesk", "sales01", "support01"])
        #expect(try store.instance(named: "nobody") == nil)
        #expect(store.serial == 4)
    }

    @Test("forget removes a record; an unknown name is notFound with a suggestion")
    func forget() throws {
        let store = try open()
        defer { store.close() }
        try store.record(sampleInstance("sales01", fingerprinter: store.fingerprinter))
        try store.record(sampleInstance("support01", fingerprinter: store.fingerprinter))
        try store.forget("sales01")
        #expect(try store.instances().map(\.name) == ["support01"])
        #expect(store.serial == 3)
        let error = stateError { () throws(StateError) in try store.forget("suport01") }
        #expect(error == .notFound("suport01", didYouMean: "support01"))
        #expect(error?.userMessage == "no instance \"suport01\" in the state; did you mean \"support01\"?")
        #expect(store.serial == 3)
    }

    @Test("rename moves a record; the new name must be free and the old one must exist")
    func rename() throws {
        let store = try open()
        defer { store.close() }
        let original = try store.record(sampleInstance("sales01", fingerprinter: store.fingerprinter))
        try store.record(sampleInstance("sales02", fingerprinter: store.fingerprinter))
        try store.rename("sales01", to: "sales03")
        #expect(try store.instances().map(\.name) == ["sales02", "sales03"])
        let renamed = try #require(try store.instance(named: "sales03"))
        #expect(renamed.configuration == original.configuration)
        #expect(renamed.createdAt == original.createdAt)
        #expect(store.serial == 3)

        #expect(stateError { () throws(StateError) in try store.rename("sales02", to: "sales03") } == .alreadyExists("sales03"))
        #expect(stateError { () throws(StateError) in try store.rename("sales09", to: "sales04") }
            == .notFound("sales09", didYouMean: "sales02"))
        #expect(try store.instances().map(\.name) == ["sales02", "sales03"])
        #expect(store.serial == 3)
    }

    @Test("a journal intent is unfinished until its outcome is written")
    func journalIntentAndOutcome() throws {
        let store = try open()
        defer { store.close() }
        let detail: JSONValue = ["events": ["MESSAGES_UPSERT"], "qrcode": true]
        let id = try store.journalIntent(instance: "sales01", action: .create, requestFingerprint: "fp-1", detail: detail)
        #expect(store.serial == 1)
        let pending = try store.unfinishedJournalEntries()
        #expect(pending.count == 1)
        #expect(pending.first?.id == id)
        #expect(pending.first?.instance == "sales01")
        #expect(pending.first?.action == .create)
        #expect(pending.first?.requestFingerprint == "fp-1")
        #expect(pending.first?.detail == detail)
        #expect(pending.first?.status == .intent)
        #expect(pending.first?.startedAt == clock.current)
        #expect(pending.first?.finishedAt == nil)

        clock.advance(by: 2)
        try store.journalOutcome(id, outcome: .done, change: .record(sampleInstance("sales01", fingerprinter: store.fingerprinter)))
        #expect(store.serial == 2)
        #expect(try store.unfinishedJournalEntries().isEmpty)
        #expect(try store.instance(named: "sales01") != nil)
        let entry = try #require(try store.journalEntries().first)
        #expect(entry.status == .done)
        #expect(entry.finishedAt == clock.current)
    }

    @Test("a failed outcome keeps status and message; forget and none change the instances accordingly")
    func journalFailureAndForget() throws {
        let store = try open()
        defer { store.close() }
        try store.record(sampleInstance("sales01", fingerprinter: store.fingerprinter))
        let failing = try store.journalIntent(instance: "sales01", action: .setWebhook, requestFingerprint: "fp-w")
        try store.journalOutcome(failing, outcome: .failed(status: 400, message: "Bad Request: url"), change: .none)
        let deleting = try store.journalIntent(instance: "sales01", action: .delete, requestFingerprint: "fp-d")
        try store.journalOutcome(deleting, outcome: .done, change: .forget("sales01"))
        let lost = try store.journalIntent(instance: "ghost", action: .delete, requestFingerprint: "fp-g")
        // Forgetting what the state does not have is not an error for an outcome.
        try store.journalOutcome(lost, outcome: .failed(status: nil, message: "connection reset"), change: .forget("ghost"))

        let entries = try store.journalEntries()
        #expect(entries.map(\.status) == [
            .failed(status: 400, message: "Bad Request: url"), .done, .failed(status: nil, message: "connection reset"),
        ])
        #expect(try store.instances().isEmpty)
        #expect(store.serial == 7)
    }

    @Test("an outcome for an entry that is not pending writes nothing")
    func outcomeNotPending() throws {
        let store = try open()
        defer { store.close() }
        let id = try store.journalIntent(instance: "sales01", action: .create, requestFingerprint: "fp")
        try store.journalOutcome(id, outcome: .done, change: .none)
        let serial = store.serial
        let error = stateError { () throws(StateError) in
            try store.journalOutcome(id, outcome: .done, change: .record(sampleInstance("sales01", fingerprinter: store.fingerprinter)))
        }
        #expect(error == .journalEntryNotPending(id))
        #expect(try store.instance(named: "sales01") == nil)
        #expect(store.serial == serial)
        let unknown = JournalEntry.ID(rawValue: 999)
        #expect(stateError { () throws(StateError) in try store.journalOutcome(unknown, outcome: .done, change: .none) }
            == .journalEntryNotPending(unknown))
    }

    @Test("the first recorded API version is the one of the first instance by name")
    func firstRecordedAPIVersion() throws {
        let store = try open()
        defer { store.close() }
        #expect(try store.firstRecordedAPIVersion() == nil)
        var later = sampleInstance("sales02", fingerprinter: store.fingerprinter)
        later.apiVersion = .v2
        try store.record(later)
        var first = sampleInstance("sales01", fingerprinter: store.fingerprinter)
        first.apiVersion = .v1
        try store.record(first)
        #expect(try store.firstRecordedAPIVersion() == .v1)
        try store.forget("sales01")
        #expect(try store.firstRecordedAPIVersion() == .v2)
    }

    @Test("a journal batch writes intents and outcomes in one transaction, each as its own call would")
    func journalBatch() throws {
        let store = try open()
        defer { store.close() }
        let earlier = try store.journalIntent(instance: "sales01", action: .create, requestFingerprint: "fp-1")
        let record = sampleInstance("sales01", fingerprinter: store.fingerprinter)
        let results = store.journalBatch([
            .intent(instance: "sales02", action: .create, requestFingerprint: "fp-2", detail: nil),
            .outcome(earlier, .done, .record(record)),
            .intent(instance: "sales03", action: .delete, requestFingerprint: "fp-3", detail: ["why": "test"]),
        ])
        #expect(results.count == 3)
        let second = try #require(try results[0].get())
        #expect(try results[1].get() == nil)
        let third = try #require(try results[2].get())
        #expect(earlier < second && second < third)
        #expect(store.serial == 4)
        #expect(try store.instance(named: "sales01")?.configuration == record.configuration)
        #expect(try store.unfinishedJournalEntries().map(\.id) == [second, third])
        #expect(try store.unfinishedJournalEntries().last?.detail == ["why": "test"])
        #expect(store.journalBatch([]).isEmpty)
    }

    @Test("a write that fails in a journal batch is left out and the others are kept")
    func journalBatchPartialFailure() throws {
        let store = try open()
        defer { store.close() }
        let done = try store.journalIntent(instance: "sales01", action: .create, requestFingerprint: "fp-1")
        try store.journalOutcome(done, outcome: .done, change: .none)
        let open = try store.journalIntent(instance: "sales02", action: .create, requestFingerprint: "fp-2")
        let serial = store.serial
        let results = store.journalBatch([
            .outcome(done, .done, .record(sampleInstance("sales01", fingerprinter: store.fingerprinter))),
            .outcome(open, .failed(status: 500, message: "boom"), .none),
            .intent(instance: "sales03", action: .create, requestFingerprint: "fp-3", detail: nil),
        ])
        #expect(stateError { () throws(StateError) in _ = try results[0].get() } == .journalEntryNotPending(done))
        #expect(try results[1].get() == nil)
        #expect(try results[2].get() != nil)
        #expect(try store.instance(named: "sales01") == nil)
        #expect(store.serial == serial + 2)
        #expect(try store.journalEntries().map(\.status) == [.done, .failed(status: 500, message: "boom"), .intent])
    }

    @Test("resolving settles an interrupted entry once")
    func resolve() throws {
        let store = try open()
        defer { store.close() }
        let first = try store.journalIntent(instance: "sales01", action: .create, requestFingerprint: "fp1")
        let second = try store.journalIntent(instance: "sales02", action: .delete, requestFingerprint: "fp2")
        #expect(try store.unfinishedJournalEntries().map(\.id) == [first, second])
        try store.resolveJournalEntry(first, as: "adopted")
        #expect(try store.unfinishedJournalEntries().map(\.id) == [second])
        #expect(try store.journalEntries().first?.status == .resolved("adopted"))
        #expect(store.serial == 3)
        #expect(stateError { () throws(StateError) in try store.resolveJournalEntry(first, as: "again") }
            == .journalEntryNotPending(first))
    }

    @Test("unfinished entries survive closing and reopening")
    func unfinishedSurvive() throws {
        let store = try open()
        let id = try store.journalIntent(instance: "sales01", action: .create, requestFingerprint: "fp")
        store.close()
        let reopened = try open()
        defer { reopened.close() }
        #expect(try reopened.unfinishedJournalEntries().map(\.id) == [id])
    }

    @Test("history rows keep serial, time, user and summary, and do not change the serial")
    func history() throws {
        let store = try open()
        defer { store.close() }
        try store.record(sampleInstance("sales01", fingerprinter: store.fingerprinter))
        try store.recordApply(user: "alice", summary: ["created": 1, "names": ["sales01"]])
        clock.advance(by: 10)
        try store.forget("sales01")
        try store.recordApply(user: "bob", summary: ["deleted": 1])
        #expect(store.serial == 2)
        let rows = try store.history()
        #expect(rows.map(\.serial) == [1, 2])
        #expect(rows.map(\.user) == ["alice", "bob"])
        #expect(rows.first?.summary == ["created": 1, "names": ["sales01"]])
        #expect(rows.last?.appliedAt == clock.current)
    }

    @Test("backup writes a complete, openable copy to <state>.backup with mode 0600")
    func backup() throws {
        let store = try open()
        try store.record(sampleInstance("sales01", fingerprinter: store.fingerprinter))
        let backupURL = try store.backup()
        #expect(backupURL.path == directory.statePath.path + ".backup")
        #expect(mode(of: backupURL) == 0o600)
        try store.record(sampleInstance("sales02", fingerprinter: store.fingerprinter))
        try store.backup()
        #expect(!FileManager.default.fileExists(atPath: backupURL.path + ".partial"))
        let lineage = store.lineage
        store.close()

        let copy = try StateStore.open(at: backupURL, operation: "inspect", createIfMissing: false)
        defer { copy.close() }
        #expect(copy.lineage == lineage)
        #expect(copy.serial == 2)
        #expect(try copy.instances().map(\.name) == ["sales01", "sales02"])
    }

    @Test("pull shows everything but the salt")
    func pull() throws {
        let store = try open()
        defer { store.close() }
        let instance = sampleInstance("sales01", fingerprinter: store.fingerprinter)
        try store.record(instance)
        let id = try store.journalIntent(instance: "sales01", action: .setSettings, requestFingerprint: "fp")
        try store.journalOutcome(id, outcome: .failed(status: 500, message: "boom"), change: .none)
        try store.recordApply(user: "alice", summary: ["changed": 1])

        let pulled = try store.pull()
        #expect(pulled["lineage"] == .string(store.lineage))
        #expect(pulled["serial"] == .number(3))
        #expect(pulled["schemaVersion"] == .number(Double(StateSchema.currentVersion)))
        let instances = try #require(pulled["instances"]?.arrayValue)
        #expect(instances.count == 1)
        #expect(instances.first?["configuration"] == instance.configuration.json)
        #expect(instances.first?["name"] == "sales01")
        #expect(pulled["journal"]?.arrayValue?.first?["status"] == "failed")
        #expect(pulled["journal"]?.arrayValue?.first?["httpStatus"] == .number(500))
        #expect(pulled["history"]?.arrayValue?.first?["user"] == "alice")
        #expect(pulled["salt"] == nil)
        let text = pulled.canonicalText
        #expect(!text.contains(Hex.string(store.salt)))
        #expect(!text.contains("salt"))
    }

    @Test("a closed store refuses work and remembers its serial")
    func closedStore() throws {
        let store = try open()
        try store.record(sampleInstance("sales01", fingerprinter: store.fingerprinter))
        store.close()
        store.close()
        #expect(stateError { () throws(StateError) in try store.instances() } == .closed)
        #expect(store.serial == 1)
    }

    @Test("calls from many threads are serialised on the one connection")
    func concurrentRecords() throws {
        let store = try open()
        defer { store.close() }
        let failures = Box(0)
        let fingerprinter = store.fingerprinter
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            do {
                try store.record(sampleInstance("c\(index)", fingerprinter: fingerprinter))
                _ = try store.instances()
            } catch {
                failures.value += 1
            }
        }
        #expect(failures.value == 0)
        #expect(try store.instances().count == 40)
        #expect(store.serial == 40)
    }

    @Test("a transaction that throws is rolled back")
    func rollback() throws {
        let store = try open()
        defer { store.close() }
        let error = stateError { () throws(StateError) in
            try store.withConnection { connection throws(StateError) in
                try connection.inTransaction { () throws(StateError) in
                    try store.upsert(sampleInstance("sales01", fingerprinter: store.fingerprinter), connection)
                    try store.incrementSerial(connection)
                    throw StateError.closed
                }
            }
        }
        #expect(error == .closed)
        #expect(try store.instances().isEmpty)
        #expect(try store.readSerial() == 0)
    }
}
