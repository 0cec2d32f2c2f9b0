import EvoformCore

/// A mutating call the applier makes; what a journal entry is about.
public enum JournalAction: String, Codable, Sendable, CaseIterable {
    case create, delete, logout, setWebhook, setChatwoot, setSettings
}

/// How a mutating call ended, as the applier saw it.
public enum JournalOutcome: Hashable, Sendable {
    case done
    /// The server answered with an error (`status`), or the call failed before any answer (`nil`).
    /// `message` must not contain a secret.
    case failed(status: Int?, message: String)
}

/// One row of the write-ahead journal: an intent written before a call, completed after it.
public struct JournalEntry: Hashable, Sendable, Identifiable {
    /// The row id; increases with every intent.
    public struct ID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
        public let rawValue: Int64
        public init(rawValue: Int64) { self.rawValue = rawValue }
        public var description: String { String(rawValue) }
        public static func < (lhs: ID, rhs: ID) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Where an entry stands.
    public enum Status: Hashable, Sendable {
        /// Written before the call; the outcome is unknown (the run may have been interrupted).
        case intent
        case done
        case failed(status: Int?, message: String)
        /// An interrupted entry settled by a later run; the text says how ("adopted", "absent"...).
        case resolved(String)

        /// The word stored in the database.
        var keyword: String {
            switch self {
            case .intent: "intent"
            case .done: "done"
            case .failed: "failed"
            case .resolved: "resolved"
            }
        }
    }

    public var id: ID
    public var instance: InstanceName
    public var action: JournalAction
    /// A digest of the request (e.g. HMAC of its body) so a later run can tell what was sent.
    public var requestFingerprint: String
    /// Optional non-secret detail the applier attached to the intent.
    public var detail: JSONValue?
    public var status: Status
    /// Seconds since 1970.
    public var startedAt: Double
    public var finishedAt: Double?

    public init(
        id: ID, instance: InstanceName, action: JournalAction, requestFingerprint: String, detail: JSONValue? = nil,
        status: Status, startedAt: Double, finishedAt: Double? = nil
    ) {
        self.id = id
        self.instance = instance
        self.action = action
        self.requestFingerprint = requestFingerprint
        self.detail = detail
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
