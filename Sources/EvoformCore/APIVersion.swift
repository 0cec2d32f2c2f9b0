/// The two Evolution API server generations evoform speaks.
public enum APIVersion: String, Sendable, Codable, CaseIterable, Comparable {
    /// The 1.8 line: flat snake_case payloads.
    case v1
    /// The 2.3 line: nested camelCase payloads.
    case v2

    public static func < (lhs: APIVersion, rhs: APIVersion) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the manifest asks for: a fixed generation, or ask the server (`GET /`).
public enum APIVersionChoice: String, Sendable, Codable, CaseIterable {
    case auto, v1, v2

    /// The fixed version, or nil for `auto`.
    public var fixed: APIVersion? {
        switch self {
        case .auto: nil
        case .v1: .v1
        case .v2: .v2
        }
    }
}
