import EvoformCore

/// Everything that can go wrong with the state. Messages name the file and say what to do; they
/// never contain a bound value or a secret (SQLite's own messages name tables and columns only).
public enum StateError: UserFacingError, Equatable, Sendable {
    /// Another run holds the lock. `holder` is nil when it has not written its record yet.
    case locked(holder: LockHolder?, statePath: String)
    /// `force-unlock` refused: the holder is a live process on this host.
    case holderStillRunning(holder: LockHolder, statePath: String)
    /// The file does not exist and the caller did not allow creating it.
    case missing(path: String)
    /// The file is damaged, truncated, empty, or not an evoform state. It was not changed.
    case corrupt(path: String, detail: String)
    /// The file was written by a newer evoform (its schema version is higher than this one knows).
    case newerVersion(path: String, found: Int, supported: Int)
    /// The file system refused (permissions, disk full, a folder in the way...).
    case io(path: String, detail: String)
    /// Any other SQLite failure; `message` is SQLite's and says which statement.
    case sqlite(code: Int32, message: String)
    /// No such instance in the state.
    case notFound(InstanceName, didYouMean: InstanceName?)
    /// `rename` to a name the state already has.
    case alreadyExists(InstanceName)
    /// A journal entry that does not exist or is no longer in `intent`.
    case journalEntryNotPending(JournalEntry.ID)
    /// The store was used after `close()`.
    case closed

    public var exitStatus: ExitStatus {
        switch self {
        case .locked, .holderStillRunning: .locked
        default: .failure
        }
    }

    public var userMessage: String {
        switch self {
        case .locked(let holder, let statePath):
            let who = holder.map { "by \($0.summary)" } ?? "by another evoform run (it has not written its details yet)"
            return """
                the state \(statePath) is locked \(who). \
                Wait for that run to finish, or pass --lock-timeout (e.g. --lock-timeout 2m) to wait for it. \
                The lock ends with its process, even one killed with kill -9.
                """
        case .holderStillRunning(let holder, let statePath):
            return """
                the state \(statePath) is locked by \(holder.summary), and that process is still running on this host. \
                evoform will not break a live run's lock: let it finish, or stop it (kill \(holder.pid)); \
                its lock ends when it exits.
                """
        case .missing(let path):
            return "there is no state at \(path)"
        case .corrupt(let path, let detail):
            return """
                the state file \(path) cannot be used: \(detail). evoform has not changed it. \
                If it was damaged, restore the backup evoform writes before each apply that changes something \
                (keep the damaged file aside): cp \(path).backup \(path)
                """
        case .newerVersion(let path, let found, let supported):
            return """
                the state \(path) was written by a newer evoform (schema version \(found); this evoform knows \
                up to \(supported)); upgrade evoform. The file was not changed.
                """
        case .io(let path, let detail):
            return "cannot use the state \(path): \(detail)"
        case .sqlite(let code, let message):
            return "state database error \(code): \(message)"
        case .notFound(let name, let suggestion):
            var message = "no instance \"\(name)\" in the state"
            if let suggestion { message += "; did you mean \"\(suggestion)\"?" }
            return message
        case .alreadyExists(let name):
            return "the state already has an instance \"\(name)\"; remove it first (evoform state rm \(name))"
        case .journalEntryNotPending(let id):
            return "journal entry \(id) does not exist or is already finished"
        case .closed:
            return "the state was used after it was closed (an evoform bug)"
        }
    }
}
