/// What `StateStore.forceUnlock` did.
public enum ForceUnlockResult: Hashable, Sendable {
    /// Nobody held the lock; a leftover holder record (if any) was cleared.
    case wasFree(leftover: LockHolder?)
    /// The lock was held, but not by a process running on this host; the lock file was removed
    /// so the next run locks a fresh one.
    case broken(holder: LockHolder?)
}
