import CSQLite
import Foundation

extension StateStore {
    /// Copies the whole database with SQLite's online backup API to `<state>.backup` (mode
    /// 0600), replacing the previous backup only once the new copy is complete and on disk.
    /// The applier calls this before every apply that changes something.
    @discardableResult
    public func backup() throws(StateError) -> URL {
        let destination = Self.backupURL(for: url)
        let partial = destination.path + ".partial"
        try withConnection { connection throws(StateError) in
            StateFiles.remove(partial)
            try StateFiles.createExclusive(partial)
            do throws(StateError) {
                let target = try SQLiteConnection(path: partial)
                defer { target.close() }
                let source = try connection.rawHandle()
                guard let backup = sqlite3_backup_init(try target.rawHandle(), "main", source, "main") else {
                    throw target.lastError(code: sqlite3_errcode(try target.rawHandle()), context: "starting the backup")
                }
                let step = sqlite3_backup_step(backup, -1)
                let finish = sqlite3_backup_finish(backup)
                guard step == SQLITE_DONE, finish == SQLITE_OK else {
                    throw target.lastError(code: step == SQLITE_DONE ? finish : step, context: "copying the state")
                }
                target.close()
                try StateFiles.syncFile(partial)
                try StateFiles.rename(partial, to: destination.path)
            } catch {
                StateFiles.remove(partial)
                throw error
            }
        }
        return destination
    }
}
