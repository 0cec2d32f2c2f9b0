import EvoformCore
import EvoformState
import Foundation

/// How every command finds, locks and opens the state, so they all agree.
extension CommandContext {
    /// The default state file, relative to the working directory.
    public static let defaultStatePath = "state/evoform.db"

    /// `--state PATH`, else `EVOFORM_STATE`, else `state/evoform.db` under the working directory.
    /// Relative paths are resolved against the working directory.
    public func stateURL(_ arguments: ParsedArguments, command: String) throws(UsageError) -> URL {
        if let option = arguments.value("state") {
            guard !option.isEmpty else { throw UsageError("option --state needs a file path", command: command) }
            return resolve(path: option).standardizedFileURL
        }
        if let variable = environment["EVOFORM_STATE"], !variable.isEmpty {
            return resolve(path: variable).standardizedFileURL
        }
        return resolve(path: Self.defaultStatePath).standardizedFileURL
    }

    /// `--lock-timeout DURATION`, zero when not given.
    public func lockTimeout(_ arguments: ParsedArguments, command: String) throws(UsageError) -> Duration {
        guard let text = arguments.value("lock-timeout") else { return .zero }
        return try DurationParser.parse(text, option: "lock-timeout", command: command)
    }

    /// Opens the state named by the command line for `operation`, taking its lock. While it waits
    /// for another run's lock (`--lock-timeout`), it says so on standard error.
    public func openState(
        _ arguments: ParsedArguments, command: String, operation: String, createIfMissing: Bool = true
    ) throws -> StateStore {
        let url = try stateURL(arguments, command: command)
        let timeout = try lockTimeout(arguments, command: command)
        let standardError = self.standardError
        return try StateStore.open(
            at: url, operation: operation, lockTimeout: timeout, createIfMissing: createIfMissing,
            whileWaiting: { holder in
                let who = holder.map { " held by \($0.summary)" } ?? ""
                standardError.line("Waiting up to \(DurationParser.describe(timeout)) for the state lock\(who)...")
            })
    }
}

extension DurationParser {
    /// A duration as people write it: `90s` -> `1m30s`, `0.5s` -> `500ms`.
    public static func describe(_ duration: Duration) -> String {
        let totalMilliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if totalMilliseconds % 1000 != 0 { return "\(totalMilliseconds)ms" }
        var seconds = totalMilliseconds / 1000
        guard seconds > 0 else { return "0s" }
        var text = ""
        if seconds >= 3600 {
            text += "\(seconds / 3600)h"
            seconds %= 3600
        }
        if seconds >= 60 {
            text += "\(seconds / 60)m"
            seconds %= 60
        }
        if seconds > 0 { text += "\(seconds)s" }
        return text
    }
}
