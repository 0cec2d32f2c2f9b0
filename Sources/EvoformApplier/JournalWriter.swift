import Dispatch
import EvoformCore
import EvoformState

/// Serialises every state write of a run: the journal is one SQLite connection, and calls finish
/// concurrently. Owns the journal for the duration of the run.
///
/// Intents and outcomes are committed in groups: while one commit waits for the disk, the writes
/// of other calls queue up, and the next commit takes all of them in one transaction (one fsync
/// instead of one each). Every caller still returns only once its own write is durable, so each
/// call's intent is on disk before its request is sent, as the journal protocol requires. The
/// journal runs on its own serial queue, never blocking Swift's cooperative pool.
actor JournalWriter {
    private let storage: JournalStorage
    private let cachedFingerprinter: SecretFingerprinter
    private var pending: [PendingWrite] = []
    private var isCommitting = false

    private struct PendingWrite {
        var write: JournalWrite
        var continuation: CheckedContinuation<Result<JournalEntry.ID?, any Error>, Never>
    }

    init(_ journal: sending any StateJournal) {
        cachedFingerprinter = journal.fingerprinter
        storage = JournalStorage(journal)
    }

    var fingerprinter: SecretFingerprinter { cachedFingerprinter }

    func managedInstance(named name: InstanceName) async throws -> ManagedInstance? {
        try await storage.run { try $0.instance(named: name) }
    }

    func intent(_ name: InstanceName, _ action: JournalAction, digest: String) async throws -> JournalEntry.ID {
        let id = try await commit(.intent(instance: name, action: action, requestFingerprint: digest, detail: nil))
        guard let id else { throw JournalWriterError.missingIdentifier }
        return id
    }

    func outcome(_ id: JournalEntry.ID, failure: String? = nil, status: Int? = nil, change: StateChange) async throws {
        let outcome: JournalOutcome = failure.map { .failed(status: status, message: $0) } ?? .done
        _ = try await commit(.outcome(id, outcome, change))
    }

    func unfinished() async throws -> [JournalEntry] { try await storage.run { try $0.unfinishedJournalEntries() } }

    /// Applies the state change, then settles the entry. Two transactions: a crash between them
    /// leaves the entry open, and resolving it again is harmless.
    func resolve(_ id: JournalEntry.ID, _ resolution: String, change: StateChange) async throws {
        try await storage.run { journal in
            switch change {
            case .record(let instance): try journal.record(instance)
            case .forget(let name) where try journal.instance(named: name) != nil: try journal.forget(name)
            case .forget, .none: break
            }
            try journal.resolveJournalEntry(id, as: resolution)
        }
    }

    func forget(_ name: InstanceName) async throws { try await storage.run { try $0.forget(name) } }

    // MARK: - Group commit

    /// Queues `write` for the next commit and returns once it is committed.
    private func commit(_ write: JournalWrite) async throws -> JournalEntry.ID? {
        let result = await withCheckedContinuation { continuation in
            pending.append(PendingWrite(write: write, continuation: continuation))
            if !isCommitting {
                isCommitting = true
                Task { await self.commitPending() }
            }
        }
        return try result.get()
    }

    /// Commits everything queued, batch after batch, until nothing is left.
    private func commitPending() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            let writes = batch.map(\.write)
            let results: [Result<JournalEntry.ID?, any Error>]
            do {
                results = try await storage.run { $0.commit(writes) }
            } catch {
                results = writes.map { _ in .failure(error) }
            }
            for (item, result) in zip(batch, results) { item.continuation.resume(returning: result) }
            for item in batch.dropFirst(results.count) {
                item.continuation.resume(returning: .failure(JournalWriterError.missingResult))
            }
        }
        isCommitting = false
    }
}

enum JournalWriterError: Error, CustomStringConvertible {
    case missingIdentifier
    case missingResult

    var description: String {
        switch self {
        case .missingIdentifier: "the state journal recorded an intent without returning its id"
        case .missingResult: "the state journal returned fewer results than writes"
        }
    }
}

/// The journal behind one serial queue: every call runs there, one at a time (the journal is
/// not thread-safe by contract), and a commit that waits for the disk blocks that queue's thread,
/// not the cooperative pool.
final class JournalStorage: @unchecked Sendable {
    private let journal: any StateJournal
    private let queue = DispatchQueue(label: "evoform.journal")

    init(_ journal: any StateJournal) { self.journal = journal }

    func run<Output: Sendable>(_ body: @escaping @Sendable (any StateJournal) throws -> Output) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self.journal) }) }
        }
    }
}
