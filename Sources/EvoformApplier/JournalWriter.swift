import Dispatch
import EvoformCore
import EvoformState

/// Serialises every state write of a run: the journal is one SQLite connection, and calls finish
/// concurrently. Owns the journal for the duration of the run.
///
/// Intents and outcomes are committed in groups: while one commit waits for the disk, the writes
/// of other calls queue up, and the next commit takes all of them in one transaction (one fsync
/// instead of one each). A caller of `intent` returns only once its intent is durable, so each
/// call's intent is on disk before its request is sent, as the journal protocol requires.
///
/// A successful call's outcome (`outcomeLater`) does not hold up its caller: it is queued and
/// committed, in order, with the next commit (another call's intent, a read, or `drain` at the
/// end of the run), so one fsync serves one call's outcome and the next call's intent. Nothing
/// is lost by the wait: until the outcome is committed the intent is open, and a run that stops
/// meanwhile is resolved by the next one looking at the server, as for any interrupted call.
/// The journal runs on its own serial queue, never blocking Swift's cooperative pool.
///
/// The commit an intent waits for still lies between one call and the next. To take it off that
/// path, the applier commits the first intent of the changes next in line ahead (`commitAhead`)
/// while the running calls are in flight; the change's `intent` then finds it durable already.
/// An intent committed ahead whose call is never made (the run stops first) is settled as not
/// sent by `settleUnclaimed`; if the process dies first, the next run resolves it by looking,
/// like any intent.
actor JournalWriter {
    private let storage: JournalStorage
    private let cachedFingerprinter: SecretFingerprinter
    private var pending: [PendingWrite] = []
    private var isCommitting = false
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    private var lateFailures: [LateFailure] = []
    private var ahead: [AheadKey: AheadIntent] = [:]

    private typealias CommitResult = Result<JournalEntry.ID?, any Error>

    private struct PendingWrite {
        var write: JournalWrite
        var waiter: Waiter
        var instance: InstanceName
    }

    /// Who learns a write's result.
    private enum Waiter {
        /// A caller suspended until its write is committed.
        case caller(CheckedContinuation<CommitResult, Never>)
        /// An intent committed ahead: its result is kept for the change that claims it.
        case ahead(AheadKey)
        /// Nobody (`outcomeLater`): a failure is reported by `drain`.
        case nobody
    }

    private struct AheadKey: Hashable {
        var instance: InstanceName
        var action: JournalAction
    }

    private struct AheadIntent {
        var digest: String
        /// Nil until committed.
        var result: CommitResult?
        /// The claiming `intent` call, when it came before the commit finished.
        var claimant: CheckedContinuation<CommitResult, Never>?
        var claimed = false
    }

    /// An outcome queued by `outcomeLater` that could not be recorded.
    struct LateFailure {
        var instance: InstanceName
        var message: String
    }

    init(_ journal: sending any StateJournal) {
        cachedFingerprinter = journal.fingerprinter
        storage = JournalStorage(journal)
    }

    nonisolated var fingerprinter: SecretFingerprinter { cachedFingerprinter }

    func managedInstance(named name: InstanceName) async throws -> ManagedInstance? {
        await flush()
        return try await storage.run { try $0.instance(named: name) }
    }

    /// Returns once `call`'s intent is durable: at once when it was committed ahead.
    func intent(_ call: CallIntent) async throws -> JournalEntry.ID {
        let result: CommitResult
        let key = AheadKey(instance: call.instance, action: call.action)
        if var entry = ahead[key], !entry.claimed, entry.digest == call.digest {
            entry.claimed = true
            if let committed = entry.result {
                ahead[key] = nil
                result = committed
            } else {
                result = await withCheckedContinuation { continuation in
                    entry.claimant = continuation
                    ahead[key] = entry
                }
            }
        } else {
            result = await commitWaiting(Self.intentWrite(call), for: call.instance)
        }
        guard let id = try result.get() else { throw JournalWriterError.missingIdentifier }
        return id
    }

    /// Queues `call`'s intent for the next commit and returns at once; the `intent` call for it
    /// later finds it committed. One intent ahead per instance and action.
    func commitAhead(_ call: CallIntent) {
        let key = AheadKey(instance: call.instance, action: call.action)
        guard ahead[key] == nil else { return }
        ahead[key] = AheadIntent(digest: call.digest)
        pending.append(PendingWrite(write: Self.intentWrite(call), waiter: .ahead(key), instance: call.instance))
        startCommitting()
    }

    /// Settles every intent committed ahead that no call claimed: those calls were never sent.
    func settleUnclaimed() async {
        await flush()
        let unclaimed = ahead.values.compactMap { entry -> JournalEntry.ID? in
            guard !entry.claimed, case .success(let id?)? = entry.result else { return nil }
            return id
        }
        ahead = ahead.filter { $0.value.claimed }
        guard !unclaimed.isEmpty else { return }
        // Left open if this fails: the next run resolves them by looking, as after a crash.
        _ = try? await storage.run { journal in
            for id in unclaimed { try journal.resolveJournalEntry(id, as: "not sent: the run stopped before this call") }
        }
    }

    private static func intentWrite(_ call: CallIntent) -> JournalWrite {
        .intent(instance: call.instance, action: call.action, requestFingerprint: call.digest, detail: nil)
    }

    /// Records an outcome and returns once it is committed.
    func outcome(
        _ id: JournalEntry.ID, of name: InstanceName, failure: String? = nil, status: Int? = nil, change: StateChange
    ) async throws {
        let outcome: JournalOutcome = failure.map { .failed(status: status, message: $0) } ?? .done
        _ = try await commitWaiting(.outcome(id, outcome, change), for: name).get()
    }

    /// Queues a successful call's outcome for the next commit and returns at once; a failure to
    /// record it is reported by `drain`.
    func outcomeLater(_ id: JournalEntry.ID, of name: InstanceName, change: StateChange) {
        pending.append(PendingWrite(write: .outcome(id, .done, change), waiter: .nobody, instance: name))
    }

    /// Commits everything queued; returns the queued outcomes that could not be recorded.
    func drain() async -> [LateFailure] {
        await flush()
        defer { lateFailures.removeAll() }
        return lateFailures
    }

    func unfinished() async throws -> [JournalEntry] {
        await flush()
        return try await storage.run { try $0.unfinishedJournalEntries() }
    }

    /// Applies the state change, then settles the entry. Two transactions: a crash between them
    /// leaves the entry open, and resolving it again is harmless.
    func resolve(_ id: JournalEntry.ID, _ resolution: String, change: StateChange) async throws {
        await flush()
        try await storage.run { journal in
            switch change {
            case .record(let instance): try journal.record(instance)
            case .forget(let name) where try journal.instance(named: name) != nil: try journal.forget(name)
            case .forget, .none: break
            }
            try journal.resolveJournalEntry(id, as: resolution)
        }
    }

    func forget(_ name: InstanceName) async throws {
        await flush()
        try await storage.run { try $0.forget(name) }
    }

    // MARK: - Group commit

    /// Queues `write` for the next commit and returns its result once it is committed.
    private func commitWaiting(_ write: JournalWrite, for name: InstanceName) async -> CommitResult {
        await withCheckedContinuation { continuation in
            pending.append(PendingWrite(write: write, waiter: .caller(continuation), instance: name))
            startCommitting()
        }
    }

    /// Returns once everything queued so far is committed.
    private func flush() async {
        guard isCommitting || !pending.isEmpty else { return }
        await withCheckedContinuation { continuation in
            flushWaiters.append(continuation)
            startCommitting()
        }
    }

    private func startCommitting() {
        guard !isCommitting else { return }
        isCommitting = true
        Task { await self.commitPending() }
    }

    /// Commits everything queued, batch after batch, until nothing is left.
    private func commitPending() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            let writes = batch.map(\.write)
            var results: [CommitResult]
            do {
                results = try await storage.run { $0.commit(writes) }
            } catch {
                results = writes.map { _ in .failure(error) }
            }
            if results.count < batch.count {
                results += Array(repeating: .failure(JournalWriterError.missingResult), count: batch.count - results.count)
            }
            for (item, result) in zip(batch, results) {
                switch item.waiter {
                case .caller(let continuation):
                    continuation.resume(returning: result)
                case .ahead(let key):
                    deliverAhead(result, to: key)
                case .nobody:
                    if case .failure(let error) = result {
                        lateFailures.append(LateFailure(instance: item.instance, message: describe(error)))
                    }
                }
            }
        }
        isCommitting = false
        let waiters = flushWaiters
        flushWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    private func deliverAhead(_ result: CommitResult, to key: AheadKey) {
        guard var entry = ahead[key] else { return }
        if let claimant = entry.claimant {
            ahead[key] = nil
            claimant.resume(returning: result)
        } else {
            entry.result = result
            ahead[key] = entry
        }
    }

    private func describe(_ error: any Error) -> String {
        (error as? any UserFacingError)?.userMessage ?? "\(error)"
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
