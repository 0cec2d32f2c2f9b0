import Foundation

/// Set by the first Ctrl-C: the applier starts no new call, lets running ones finish and be
/// recorded. Thread-safe; shared between a signal handler and the apply task.
public final class InterruptionFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    public var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    public func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }
}
