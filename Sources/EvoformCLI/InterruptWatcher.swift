import EvoformApplier
import Foundation

/// Ctrl-C during an apply: the first stops new calls (running ones finish and are recorded), the
/// second exits at once (the journal lets the next run finish the rest).
final class InterruptWatcher: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    init(interruption: InterruptionFlag, standardError: TextSink) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            lock.lock()
            count += 1
            let presses = count
            lock.unlock()
            if presses == 1 {
                interruption.raise()
                standardError.line(
                    "\nInterrupt received: finishing the calls in flight and recording them. Press Ctrl-C again to exit at once.")
            } else {
                standardError.line("\nExiting now; the next plan or apply resolves what was in flight.")
                exit(130)
            }
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
