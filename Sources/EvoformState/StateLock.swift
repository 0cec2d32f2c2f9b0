import Foundation

/// The one-run-at-a-time lock: `flock` on `<state>.lock`. The kernel drops it when the process
/// exits however it exits, so a killed run never leaves a stale lock. The holder writes who it is
/// into the file for the next run's error message and clears it when it releases.
final class StateLock {
    let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock, waiting up to `timeout` (polling every 100 ms). `whileWaiting` is called
    /// once, when the lock is first found taken and `timeout` is not zero.
    static func acquire(
        path: String, statePath: String, holder: LockHolder, timeout: Duration, whileWaiting: (LockHolder?) -> Void
    ) throws(StateError) -> StateLock {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var announced = false
        while true {
            let descriptor = try openLockFile(path)
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                // force-unlock may have removed the file we locked; then lock the new one.
                guard isStillAtPath(descriptor, path) else {
                    close(descriptor)
                    continue
                }
                let lock = StateLock(path: path, descriptor: descriptor)
                lock.write(holder.recordText)
                return lock
            }
            let error = errno
            let current = readHolder(descriptor)
            close(descriptor)
            guard error == EWOULDBLOCK || error == EAGAIN || error == EINTR else {
                throw StateError.io(path: path, detail: "cannot lock: \(StateFiles.describe(error))")
            }
            let now = clock.now
            guard now < deadline else { throw StateError.locked(holder: current, statePath: statePath) }
            if !announced {
                announced = true
                whileWaiting(current)
            }
            let pause = min(.milliseconds(100), deadline - now)
            Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18)
        }
    }

    /// Clears the holder record and lets go. Safe to call twice.
    func release() {
        guard descriptor >= 0 else { return }
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    private func write(_ text: String) {
        ftruncate(descriptor, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// See `ForceUnlockCommand`. Never breaks the lock of a live process on this host.
    static func forceUnlock(path: String, statePath: String, breakHeldLock: Bool) throws(StateError) -> ForceUnlockResult {
        guard try StateFiles.entry(at: path) != .absent else { return .wasFree(leftover: nil) }
        let descriptor = try openLockFile(path)
        defer { close(descriptor) }
        let holder = readHolder(descriptor)
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            ftruncate(descriptor, 0)
            flock(descriptor, LOCK_UN)
            return .wasFree(leftover: holder)
        }
        if let holder, holder.host == ProcessIdentity.hostName, isRunning(pid: holder.pid) {
            throw StateError.holderStillRunning(holder: holder, statePath: statePath)
        }
        guard breakHeldLock else { throw StateError.locked(holder: holder, statePath: statePath) }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw StateError.io(path: path, detail: "cannot remove the lock file: \(StateFiles.describe(errno))")
        }
        return .broken(holder: holder)
    }

    /// The holder record in a lock file, if one is written.
    static func readHolder(_ descriptor: Int32) -> LockHolder? {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return LockHolder(recordText: String(decoding: bytes.prefix(count), as: UTF8.self))
    }

    private static func openLockFile(_ path: String) throws(StateError) -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateError.io(path: path, detail: "cannot open the lock file: \(StateFiles.describe(errno))")
        }
        fchmod(descriptor, 0o600)
        return descriptor
    }

    private static func isStillAtPath(_ descriptor: Int32, _ path: String) -> Bool {
        var held = stat()
        var current = stat()
        guard fstat(descriptor, &held) == 0, stat(path, &current) == 0 else { return false }
        return held.st_ino == current.st_ino && held.st_dev == current.st_dev
    }

    private static func isRunning(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
