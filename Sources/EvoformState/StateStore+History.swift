import EvoformCore

extension StateStore {
    /// Adds a history row for a finished apply, stamped with the current serial and time. Does
    /// not change the serial: the history describes the state, it is not part of it.
    public func recordApply(user: String, summary: JSONValue) throws(StateError) {
        try withConnection { connection throws(StateError) in
            try connection.inTransaction { () throws(StateError) in
                let serial = try currentSerial(connection)
                try connection.run(
                    "INSERT INTO history (serial, applied_at, user, summary) VALUES (?1, ?2, ?3, ?4)",
                    [.integer(Int64(serial)), .real(timestamp()), .text(user), .text(summary.canonicalText)])
            }
        }
    }

    /// Every recorded apply, oldest first.
    public func history() throws(StateError) -> [ApplyRecord] {
        try withConnection { connection throws(StateError) in
            try connection.query("SELECT id, serial, applied_at, user, summary FROM history ORDER BY id") {
                row throws(StateError) in
                guard let summary = JSONValue.parse(row.text(4)) else {
                    throw StateError.corrupt(path: url.path, detail: "history row \(row.integer(0)) cannot be read")
                }
                return ApplyRecord(
                    id: row.integer(0), serial: Int(row.integer(1)), appliedAt: row.real(2), user: row.text(3),
                    summary: summary)
            }
        }
    }
}
