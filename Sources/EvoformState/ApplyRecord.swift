import EvoformCore

/// One completed apply, as the history keeps it.
public struct ApplyRecord: Hashable, Sendable {
    public var id: Int64
    /// The state serial when the apply was recorded.
    public var serial: Int
    /// Seconds since 1970.
    public var appliedAt: Double
    public var user: String
    /// What the applier chose to summarise (counts, changed names...). Never a secret.
    public var summary: JSONValue

    public init(id: Int64, serial: Int, appliedAt: Double, user: String, summary: JSONValue) {
        self.id = id
        self.serial = serial
        self.appliedAt = appliedAt
        self.user = user
        self.summary = summary
    }
}
