import Foundation

/// Runs blocking work (socket I/O) on dedicated threads, never on Swift's cooperative pool,
/// which has one thread per core and would starve on a 2-core machine.
///
/// Threads are started on demand, one per job in flight up to `maximumThreads` (further jobs
/// wait in order), and end after `idleSeconds` without work.
final class BlockingExecutor: @unchecked Sendable {
    /// The executor every transport of the process shares.
    static let shared = BlockingExecutor(maximumThreads: 256)

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var nextJob = 0
    private var idleThreads = 0
    private var threads = 0
    private let maximumThreads: Int
    private let idleSeconds: Double

    init(maximumThreads: Int, idleSeconds: Double = 10) {
        self.maximumThreads = max(1, maximumThreads)
        self.idleSeconds = idleSeconds
    }

    /// Runs `body` on one of the executor's threads and returns its result.
    func run<Output: Sendable>(_ body: @escaping @Sendable () -> Output) async -> Output {
        await withCheckedContinuation { (continuation: CheckedContinuation<Output, Never>) in
            submit { continuation.resume(returning: body()) }
        }
    }

    private func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        let waiting = jobs.count - nextJob
        if waiting > idleThreads && threads < maximumThreads {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = "evoform-http"
            thread.stackSize = 512 * 1024
            thread.start()
        } else {
            condition.signal()
        }
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            while nextJob == jobs.count {
                idleThreads += 1
                let signalled = condition.wait(until: Date(timeIntervalSinceNow: idleSeconds))
                idleThreads -= 1
                if !signalled && nextJob == jobs.count {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            let job = jobs[nextJob]
            nextJob += 1
            if nextJob == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                nextJob = 0
            } else if nextJob >= 1024 && nextJob * 2 >= jobs.count {
                jobs.removeFirst(nextJob)
                nextJob = 0
            }
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
