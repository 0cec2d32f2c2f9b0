import EvoformCore
import EvoformRemote
import Foundation

/// `EVOFORM_LOG=debug|info|warn`: one line per HTTP attempt on standard error (or appended to
/// `EVOFORM_LOG_FILE`). Events carry method, path, instance, status and timing only: no header
/// and no body, so no API key or token can reach a log.
final class RequestTracer: RequestObserver, @unchecked Sendable {
    enum Level: Int, Comparable {
        case warn = 0, info, debug

        static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private let level: Level
    private let sink: TextSink
    private let lock = NSLock()

    init(level: Level, sink: TextSink) {
        self.level = level
        self.sink = sink
    }

    func didSend(_ event: RequestEvent) {
        let failed = event.failure != nil || (event.status ?? 0) >= 400
        let eventLevel: Level = failed || event.willRetry ? .warn : event.endpoint.isMutating ? .info : .debug
        guard eventLevel <= level else { return }
        var line = "\(Self.timestamp()) evoform \(eventLevel): \(event.endpoint.method) \(event.path)"
        if event.attempt > 1 { line += " (attempt \(event.attempt))" }
        if let status = event.status { line += " -> \(status)" }
        if let failure = event.failure { line += " -> \(failure.rawValue)" }
        line += String(format: " in %.0fms", event.durationSeconds * 1000)
        if event.willRetry { line += ", will retry" }
        lock.lock()
        sink.line(line)
        lock.unlock()
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

extension CommandContext {
    /// The tracer `EVOFORM_LOG` asks for, or nil. A bad level or log file is reported, not fatal.
    func requestTracer() -> (any RequestObserver)? {
        guard let text = environment["EVOFORM_LOG"], !text.isEmpty else { return nil }
        let level: RequestTracer.Level
        switch text.lowercased() {
        case "debug", "trace": level = .debug
        case "info": level = .info
        case "warn", "warning": level = .warn
        default:
            standardError.line("Warning: EVOFORM_LOG=\(text) is not a level; use debug, info or warn. Logging is off.")
            return nil
        }
        guard let path = environment["EVOFORM_LOG_FILE"], !path.isEmpty else {
            return RequestTracer(level: level, sink: standardError)
        }
        let url = resolve(path: path)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = try? FileHandle(forWritingTo: url) else {
            standardError.line("Warning: cannot write the log file \(path); logging to standard error instead.")
            return RequestTracer(level: level, sink: standardError)
        }
        handle.seekToEndOfFile()
        return RequestTracer(level: level, sink: TextSink(handle: handle, isTerminal: false))
    }
}
