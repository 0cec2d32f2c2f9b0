import EvoformCore
@testable import EvoformState
import Foundation
import Testing

@Suite("State lock within one process")
struct StateLockTests {
    let directory = TemporaryDirectory()

    @Test("a second open is refused with the holder's pid, host, user, operation and start")
    func secondOpenLocked() throws {
        let since = Date(timeIntervalSince1970: 1_700_000_000)
        let holder = try StateStore.open(at: directory.statePath, operation: "apply", now: { since })
        let error = stateError { () throws(StateError) in try StateStore.open(at: directory.statePath, operation: "plan") }
        let expected = LockHolder(
            pid: getpid(), host: ProcessIdentity.hostName, user: ProcessIdentity.userName, operation: "apply", since: since)
        #expect(error == .locked(holder: expected, statePath: directory.statePath.path))
        #expect(error?.exitStatus == .locked)
        let message = error?.userMessage ?? ""
        #expect(message.contains("pid \(getpid())"))
        #expect(message.contains(ProcessIdentity.hostName))
        #expect(message.contains("\"apply\""))
        #expect(message.contains("2023-11-14T22:13:20Z"))
        #expect(message.contains("--lock-timeout"))
        holder.close()
        let next = try StateStore.open(at: directory.statePath, operation: "plan")
        next.close()
    }

    @Test("the lock file holds the holder record while locked and is cleared on close")
    func holderRecord() throws {
        let store = try StateStore.open(at: directory.statePath, operation: "state rm")
        let lockURL = StateStore.lockURL(for: directory.statePath)
        let text = String(decoding: contents(of: lockURL) ?? [], as: UTF8.self)
        let record = try #require(LockHolder(recordText: text))
        #expect(record.pid == getpid())
        #expect(record.operation == "state rm")
        store.close()
        #expect(contents(of: lockURL) == [])
    }

    @Test("with a lock timeout, open waits for the holder to finish")
    func waitsForHolder() throws {
        let url = directory.statePath
        let holder = try StateStore.open(at: url, operation: "apply")
        let waiting = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let seen = Box<LockHolder?>(nil)
        let outcome = Box<String>("not finished")
        Thread.detachNewThread {
            do {
                let store = try StateStore.open(
                    at: url, operation: "plan", lockTimeout: .seconds(120),
                    whileWaiting: { current in
                        seen.value = current
                        waiting.signal()
                    })
                outcome.value = "opened"
                store.close()
            } catch {
                outcome.value = "failed: \(error)"
            }
            finished.signal()
        }
        #expect(waiting.wait(timeout: .now() + 120) == .success)
        #expect(seen.value?.pid == getpid())
        #expect(seen.value?.operation == "apply")
        holder.close()
        #expect(finished.wait(timeout: .now() + 120) == .success)
        #expect(outcome.value == "opened")
    }

    @Test("a lock timeout that runs out ends in .locked")
    func timeoutRunsOut() throws {
        let holder = try StateStore.open(at: directory.statePath, operation: "apply")
        defer { holder.close() }
        var waited = false
        let error = stateError { () throws(StateError) in
            try StateStore.open(at: directory.statePath, operation: "plan", lockTimeout: .milliseconds(250), whileWaiting: { _ in waited = true })
        }
        #expect(waited)
        guard case .locked(let current, _)? = error else {
            Issue.record("expected .locked, got \(String(describing: error))")
            return
        }
        #expect(current?.pid == getpid())
    }

    @Test("force-unlock on a free lock clears a leftover record")
    func forceUnlockFree() throws {
        let url = directory.statePath
        #expect(try StateStore.forceUnlock(at: url, breakHeldLock: false) == .wasFree(leftover: nil))
        let store = try StateStore.open(at: url, operation: "apply")
        store.close()
        let stale = LockHolder(pid: 999_999, host: "elsewhere", user: "bob", operation: "apply", since: Date(timeIntervalSince1970: 1e9))
        try Data(stale.recordText.utf8).write(to: StateStore.lockURL(for: url))
        #expect(try StateStore.forceUnlock(at: url, breakHeldLock: false) == .wasFree(leftover: stale))
        #expect(contents(of: StateStore.lockURL(for: url)) == [])
    }

    @Test("force-unlock never breaks the lock of a live process on this host")
    func forceUnlockLiveHolder() throws {
        let url = directory.statePath
        let store = try StateStore.open(at: url, operation: "apply")
        defer { store.close() }
        let error = stateError { () throws(StateError) in try StateStore.forceUnlock(at: url, breakHeldLock: true) }
        guard case .holderStillRunning(let holder, _)? = error else {
            Issue.record("expected .holderStillRunning, got \(String(describing: error))")
            return
        }
        #expect(holder.pid == getpid())
        #expect(error?.exitStatus == .locked)
        #expect(stateError { () throws(StateError) in try StateStore.open(at: url, operation: "plan") } != nil)
    }

    @Test("force-unlock breaks a lock whose recorded holder is gone, only when asked")
    func forceUnlockOrphanedLock() throws {
        let url = directory.statePath
        let store = try StateStore.open(at: url, operation: "apply")
        defer { store.close() }
        // The lock is held (by `store`), but the record names a process on another host, as a
        // run on a shared folder would.
        let elsewhere = LockHolder(pid: 4242, host: "other-host", user: "bob", operation: "apply", since: Date(timeIntervalSince1970: 1e9))
        let lockPath = StateStore.lockURL(for: url).path
        let handle = try #require(FileHandle(forWritingAtPath: lockPath))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(elsewhere.recordText.utf8))
        try handle.close()

        let refused = stateError { () throws(StateError) in try StateStore.forceUnlock(at: url, breakHeldLock: false) }
        #expect(refused == .locked(holder: elsewhere, statePath: url.path))
        #expect(try StateStore.forceUnlock(at: url, breakHeldLock: true) == .broken(holder: elsewhere))
        let next = try StateStore.open(at: url, operation: "plan")
        next.close()
    }
}
