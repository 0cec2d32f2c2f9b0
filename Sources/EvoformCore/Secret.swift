/// A secret value (instance token, Chatwoot token, API key). Its description is `(sensitive)` so it
/// cannot be printed, logged or interpolated into a message by accident; read `revealed` only
/// where the value must travel to the server.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let revealed: String

    public init(_ value: String) { self.revealed = value }

    public var description: String { "(sensitive)" }
    public var debugDescription: String { "(sensitive)" }
}

/// A keyed digest of a secret (HMAC-SHA256 with a per-state salt, hex). Enough to see that a
/// secret changed, useless for recovering it. This is what state, plans and diffs hold.
public struct SecretFingerprint: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Diffs never show even the digest: a secret is `(sensitive)` wherever it appears.
    public var description: String { "(sensitive)" }
}

/// Turns a secret into its fingerprint. Pure given its salt, so the planner can take one.
public struct SecretFingerprinter: Sendable {
    private let digest: @Sendable (String) -> String

    public init(digest: @escaping @Sendable (String) -> String) { self.digest = digest }

    public func fingerprint(_ secret: Secret) -> SecretFingerprint {
        SecretFingerprint(rawValue: digest(secret.revealed))
    }
}
