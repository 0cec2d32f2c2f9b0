import Foundation

/// Timestamps as the state shows them: UTC, ISO 8601, whole seconds.
enum StateTime {
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func iso8601(secondsSince1970 seconds: Double) -> String {
        iso8601(Date(timeIntervalSince1970: seconds))
    }
}
