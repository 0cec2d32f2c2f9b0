import EvoformCore

extension StateStore {
    static let journalColumns =
        "id, instance, action, request_fingerprint, detail, status, http_status, message, resolution, started_at, finished_at"

    /// Writes and commits an intent row before a mutating call; serial += 1. `detail` is optional
    /// non-secret context (e.g. the configuration being created, with secrets as fingerprints).
    public func journalIntent(
        instance: InstanceName, action: JournalAction, requestFingerprint: String, detail: JSONValue? = nil
    ) throws(StateError) -> JournalEntry.ID {
        try withConnection { connection throws(StateError) in
            try connection.inTransaction { () throws(StateError) in
                try insertIntent(instance: instance, action: action, requestFingerprint: requestFingerprint, detail: detail, connection)
            }
        }
    }

    /// In one transaction: marks the entry done or failed, applies `change` (record, forget or
    /// nothing) and adds one to the serial. `.journalEntryNotPending` if the entry is not in `intent`;
    /// then nothing is written.
    public func journalOutcome(_ id: JournalEntry.ID, outcome: JournalOutcome, change: StateChange) throws(StateError) {
        try withConnection { connection throws(StateError) in
            try connection.inTransaction { () throws(StateError) in
                try writeOutcome(id, outcome: outcome, change: change, connection)
            }
        }
    }

    /// Several intents and outcomes in one transaction, so one commit (one fsync) serves all of
    /// them: what `apply` uses when many calls finish at once (group commit). Each write behaves
    /// exactly as its own `journalIntent`/`journalOutcome` call and runs in its own savepoint, so
    /// one that fails (`.journalEntryNotPending`) leaves the others in. Returns one result per
    /// write, in order: the new entry's id for an intent, nil for an outcome. If the transaction
    /// itself fails (the disk is full...), nothing is written and every result is that error.
    public func journalBatch(_ writes: [JournalWrite]) -> [Result<JournalEntry.ID?, StateError>] {
        guard !writes.isEmpty else { return [] }
        do throws(StateError) {
            return try withConnection { connection throws(StateError) in
                // Writes do not fail in a sound state: first all in one go, without savepoints
                // (two statements more per write). If one does fail, nothing of that attempt is
                // kept and the batch is written again with a savepoint around each write.
                do throws(StateError) {
                    return try connection.inTransaction { () throws(StateError) in
                        var results: [Result<JournalEntry.ID?, StateError>] = []
                        results.reserveCapacity(writes.count)
                        for write in writes { results.append(.success(try apply(write, connection, countSerial: false))) }
                        // One serial step per write, as with separate calls, in one statement.
                        try incrementSerial(connection, by: writes.count)
                        return results
                    }
                } catch {
                    return try connection.inTransaction { () throws(StateError) in
                        var results: [Result<JournalEntry.ID?, StateError>] = []
                        results.reserveCapacity(writes.count)
                        for write in writes {
                            try connection.execute("SAVEPOINT journal_write")
                            do throws(StateError) {
                                results.append(.success(try apply(write, connection)))
                            } catch {
                                try connection.execute("ROLLBACK TO journal_write")
                                results.append(.failure(error))
                            }
                            try connection.execute("RELEASE journal_write")
                        }
                        return results
                    }
                }
            }
        } catch {
            return writes.map { _ in .failure(error) }
        }
    }

    /// One write of a batch: the new entry's id for an intent, nil for an outcome.
    private func apply(
        _ write: JournalWrite, _ connection: SQLiteConnection, countSerial: Bool = true
    ) throws(StateError) -> JournalEntry.ID? {
        switch write {
        case .intent(let instance, let action, let fingerprint, let detail):
            return try insertIntent(
                instance: instance, action: action, requestFingerprint: fingerprint, detail: detail, connection,
                countSerial: countSerial)
        case .outcome(let id, let outcome, let change):
            try writeOutcome(id, outcome: outcome, change: change, connection, countSerial: countSerial)
            return nil
        }
    }

    private func insertIntent(
        instance: InstanceName, action: JournalAction, requestFingerprint: String, detail: JSONValue?,
        _ connection: SQLiteConnection, countSerial: Bool = true
    ) throws(StateError) -> JournalEntry.ID {
        try connection.run(
            """
            INSERT INTO journal (instance, action, request_fingerprint, detail, status, started_at)
            VALUES (?1, ?2, ?3, ?4, 'intent', ?5)
            """,
            [
                .text(instance.rawValue), .text(action.rawValue), .text(requestFingerprint),
                detail.map { .text($0.canonicalText) } ?? .null, .real(timestamp()),
            ])
        let id = JournalEntry.ID(rawValue: connection.lastInsertRowID)
        if countSerial { try incrementSerial(connection) }
        return id
    }

    private func writeOutcome(
        _ id: JournalEntry.ID, outcome: JournalOutcome, change: StateChange, _ connection: SQLiteConnection,
        countSerial: Bool = true
    ) throws(StateError) {
        let status: String
        let httpStatus: SQLiteValue
        let message: SQLiteValue
        switch outcome {
        case .done:
            (status, httpStatus, message) = ("done", .null, .null)
        case .failed(let code, let text):
            (status, httpStatus, message) = ("failed", code.map { .integer(Int64($0)) } ?? .null, .text(text))
        }
        let changed = try connection.run(
            """
            UPDATE journal SET status = ?1, http_status = ?2, message = ?3, finished_at = ?4
            WHERE id = ?5 AND status = 'intent'
            """,
            [.text(status), httpStatus, message, .real(timestamp()), .integer(id.rawValue)])
        guard changed == 1 else { throw StateError.journalEntryNotPending(id) }
        switch change {
        case .record(let instance): try upsert(instance, connection)
        case .forget(let name): try connection.run("DELETE FROM instances WHERE name = ?1", [.text(name.rawValue)])
        case .none: break
        }
        if countSerial { try incrementSerial(connection) }
    }

    /// Entries still in `intent`, oldest first: calls whose outcome is unknown because a run was
    /// interrupted. Each must be settled (by observing the instance) before planning.
    public func unfinishedJournalEntries() throws(StateError) -> [JournalEntry] {
        try journalEntries(where: "status = 'intent'")
    }

    /// The whole journal, oldest first.
    public func journalEntries() throws(StateError) -> [JournalEntry] {
        try journalEntries(where: "1")
    }

    private func journalEntries(where condition: String) throws(StateError) -> [JournalEntry] {
        try withConnection { connection throws(StateError) in
            try connection.query("SELECT \(Self.journalColumns) FROM journal WHERE \(condition) ORDER BY id") {
                row throws(StateError) in try journalEntry(from: row)
            }
        }
    }

    private func journalEntry(from row: SQLiteStatement) throws(StateError) -> JournalEntry {
        let id = JournalEntry.ID(rawValue: row.integer(0))
        guard let action = JournalAction(rawValue: row.text(2)) else {
            throw StateError.corrupt(path: url.path, detail: "journal entry \(id) has an unknown action")
        }
        let detail = row.optionalText(4).flatMap { JSONValue.parse($0) }
        let status: JournalEntry.Status
        switch row.text(5) {
        case "intent": status = .intent
        case "done": status = .done
        case "failed": status = .failed(status: row.optionalInteger(6).map { Int($0) }, message: row.optionalText(7) ?? "")
        case "resolved": status = .resolved(row.optionalText(8) ?? "")
        default: throw StateError.corrupt(path: url.path, detail: "journal entry \(id) has an unknown status")
        }
        return JournalEntry(
            id: id, instance: InstanceName(row.text(1)), action: action, requestFingerprint: row.text(3), detail: detail,
            status: status, startedAt: row.real(9), finishedAt: row.optionalReal(10))
    }

    /// Settles an interrupted entry (still in `intent`) once a later run has looked at the
    /// instance: `resolution` says what it found or did ("adopted", "absent", "replanned"...);
    /// serial += 1. Record any state change separately (`record`/`forget`).
    public func resolveJournalEntry(_ id: JournalEntry.ID, as resolution: String) throws(StateError) {
        try withConnection { connection throws(StateError) in
            try connection.inTransaction { () throws(StateError) in
                let changed = try connection.run(
                    "UPDATE journal SET status = 'resolved', resolution = ?1, finished_at = ?2 WHERE id = ?3 AND status = 'intent'",
                    [.text(resolution), .real(timestamp()), .integer(id.rawValue)])
                guard changed == 1 else { throw StateError.journalEntryNotPending(id) }
                try incrementSerial(connection)
            }
        }
    }
}
