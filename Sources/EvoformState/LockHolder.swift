import EvoformCore
import Foundation

/// Who holds a state lock: written into the lock file by the holder so that a second run can
/// name it in its error message. Informational only; the OS lock is what excludes.
public struct LockHolder: Hashable, Sendable {
    public var pid: Int32
    public var host: String
    public var user: String
    /// What the holder is doing: "plan", "apply", "state rm"...
    public var operation: String
    public var since: Date

    public init(pid: Int32, host: String, user: String, operation: String, since: Date) {
        self.pid = pid
        self.host = host
        self.user = user
        self.operation = operation
        self.since = since
    }

    /// The record for this process.
    public static func current(operation: String, since: Date) -> LockHolder {
        LockHolder(pid: getpid(), host: ProcessIdentity.hostName, user: ProcessIdentity.userName, operation: operation, since: since)
    }

    /// One line for messages: `pid 4242 on host build-7 (user alice), running "apply" since 2024-05-01T10:00:00Z`.
    public var summary: String {
        "pid \(pid) on host \(host) (user \(user)), running \"\(operation)\" since \(StateTime.iso8601(since))"
    }

    /// The lock file's content.
    public var recordText: String {
        JSONValue.object([
            "host": .string(host), "operation": .string(operation), "pid": .number(Double(pid)),
            "since": .number(since.timeIntervalSince1970), "user": .string(user),
        ]).canonicalText
    }

    /// Reads a lock file's content; nil when empty or not a holder record.
    public init?(recordText: String) {
        guard let record = JSONValue.parse(recordText), let pid = record["pid"]?.integerValue,
            case .number(let since)? = record["since"]
        else { return nil }
        self.init(
            pid: Int32(clamping: pid), host: record["host"]?.stringValue ?? "?", user: record["user"]?.stringValue ?? "?",
            operation: record["operation"]?.stringValue ?? "?", since: Date(timeIntervalSince1970: since))
    }
}
