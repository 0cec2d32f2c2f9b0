import EvoformCore
@testable import EvoformState
import Foundation
import Testing

/// Two processes on one state: the lock excludes across processes, dies with its holder, and a
/// kill -9 in the middle of writing loses no committed change.
@Suite("State across processes", .serialized)
struct StateProcessTests {
    let directory = TemporaryDirectory()

    func startHolder(operation: String = "apply") throws -> (ChildProcess, Int32) {
        let child = try ChildProcess(executable: try ChildProcess.probe(), arguments: ["hold", directory.statePath.path, operation])
        let line = try #require(child.waitForLine { $0.hasPrefix("locked ") }, "the holder never took the lock: \(child.standardError)")
        return (child, try #require(Int32(line.dropFirst("locked ".count))))
    }

    @Test("a second process is refused with the holder's details and exit status 3")
    func holderDetails() throws {
        let (child, pid) = try startHolder(operation: "apply")
        #expect(pid == child.pid)
        let error = stateError { () throws(StateError) in try StateStore.open(at: directory.statePath, operation: "plan") }
        guard case .locked(let holder?, let statePath)? = error else {
            Issue.record("expected .locked with a holder, got \(String(describing: error))")
            return
        }
        #expect(statePath == directory.statePath.path)
        #expect(holder.pid == pid)
        #expect(holder.operation == "apply")
        #expect(holder.host == ProcessIdentity.hostName)
        #expect(holder.user == ProcessIdentity.userName)
        #expect(error?.exitStatus.rawValue == 3)
        #expect(error?.userMessage.contains("pid \(pid)") == true)
        child.send("release")
        #expect(child.waitForExit() == 0)
        let store = try StateStore.open(at: directory.statePath, operation: "plan")
        store.close()
    }

    @Test("a child process that finds the state locked exits 3 and names this process")
    func childExitsThree() throws {
        let store = try StateStore.open(at: directory.statePath, operation: "plan")
        defer { store.close() }
        let child = try ChildProcess(executable: try ChildProcess.probe(), arguments: ["open", directory.statePath.path, "apply"])
        #expect(child.waitForExit() == 3)
        #expect(child.standardError.contains("pid \(getpid())"))
        #expect(child.standardError.contains("running \"plan\""))
    }

    @Test("with a lock timeout the second process waits, then proceeds when the holder releases")
    func waitsThenProceeds() throws {
        let (child, pid) = try startHolder()
        let url = directory.statePath
        let waiting = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let seenPID = Box<Int32?>(nil)
        let outcome = Box("not finished")
        Thread.detachNewThread {
            do {
                let store = try StateStore.open(
                    at: url, operation: "apply", lockTimeout: .seconds(120),
                    whileWaiting: { holder in
                        seenPID.value = holder?.pid
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
        #expect(seenPID.value == pid)
        child.send("release")
        #expect(finished.wait(timeout: .now() + 120) == .success)
        #expect(outcome.value == "opened")
        #expect(child.waitForExit() == 0)
    }

    @Test("after kill -9 of the holder the next run proceeds without force-unlock")
    func killedHolderLeavesNoLock() throws {
        let (child, pid) = try startHolder()
        child.killHard()
        // The dead holder's record is still in the lock file; it does not matter.
        let record = LockHolder(recordText: String(decoding: contents(of: StateStore.lockURL(for: directory.statePath)) ?? [], as: UTF8.self))
        #expect(record?.pid == pid)
        let store = try StateStore.open(at: directory.statePath, operation: "apply")
        store.close()
    }

    @Test("kill -9 in the middle of writing, three times over: the database is intact and every reported commit is there")
    func killDuringWrites() throws {
        let url = directory.statePath
        var allCommitted: [String] = []
        for round in 1...3 {
            let prefix = "r\(round)x"
            let target = 60 * round
            let child = try ChildProcess(executable: try ChildProcess.probe(), arguments: ["write-loop", url.path, prefix])
            let reached = child.waitForLine { $0 == "committed \(prefix)\(target)" }
            #expect(reached != nil, "round \(round): the writer did not reach \(target) commits: \(child.standardError)")
            // Land the kill at an arbitrary point of a write (correctness does not depend on where).
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.004))
            child.killHard()
            let committed = child.lines.filter { $0.hasPrefix("committed ") }.map { String($0.dropFirst("committed ".count)) }
            #expect(committed.count >= target)
            allCommitted += committed

            // Reopening recovers the WAL the killed writer left.
            let store = try StateStore.open(at: url, operation: "inspect")
            defer { store.close() }
            let integrity = try store.withConnection { connection throws(StateError) in
                try connection.query("PRAGMA integrity_check") { $0.text(0) }
            }
            #expect(integrity == ["ok"], "round \(round)")
            let names = Set(try store.instances().map(\.name.rawValue))
            let missing = allCommitted.filter { !names.contains($0) }
            #expect(missing.isEmpty, "round \(round): reported but lost: \(missing)")
            let done = Set(try store.journalEntries().filter { $0.status == .done }.map(\.instance.rawValue))
            #expect(allCommitted.allSatisfy { done.contains($0) }, "round \(round)")
            // At most the one call in flight per killed run was cut off; it waits for the next run to resolve it.
            let unfinished = try store.unfinishedJournalEntries()
            #expect(unfinished.count <= round)
            #expect(unfinished.allSatisfy { !allCommitted.contains($0.instance.rawValue) })
            #expect(store.serial >= 2 * allCommitted.count)
        }
    }
}
