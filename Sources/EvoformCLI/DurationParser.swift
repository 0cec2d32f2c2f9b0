/// Reads durations as written on the command line: `0s`, `500ms`, `30s`, `2m`, `1h`, `1m30s`,
/// `1.5s`, or bare seconds (`30`).
public enum DurationParser {
    /// The longest duration accepted (a year), so arithmetic never overflows.
    static let maximumSeconds = 366.0 * 24 * 3600

    /// The duration `text` names, or nil if it is not one.
    public static func parse(_ text: String) -> Duration? {
        let characters = Array(text.trimmingCharacters())
        guard !characters.isEmpty else { return nil }
        if characters.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            guard let seconds = Double(String(characters)) else { return nil }
            return duration(seconds: seconds)
        }
        var totalSeconds = 0.0
        var index = 0
        while index < characters.count {
            let numberStart = index
            while index < characters.count, characters[index].isASCII, characters[index].isNumber || characters[index] == "." {
                index += 1
            }
            guard index > numberStart, let number = Double(String(characters[numberStart..<index])) else { return nil }
            let unitStart = index
            while index < characters.count, characters[index].isLetter { index += 1 }
            switch String(characters[unitStart..<index]) {
            case "ms": totalSeconds += number / 1000
            case "s": totalSeconds += number
            case "m": totalSeconds += number * 60
            case "h": totalSeconds += number * 3600
            default: return nil
            }
        }
        return duration(seconds: totalSeconds)
    }

    /// Parses an option's value, or explains what is wrong with it.
    public static func parse(_ text: String, option: String, command: String) throws(UsageError) -> Duration {
        guard let duration = parse(text) else {
            throw UsageError(
                "option --\(option) takes a duration such as 0s, 500ms, 30s, 2m, 1h or 1m30s (at most a year), not \"\(text)\"",
                command: command)
        }
        return duration
    }

    private static func duration(seconds: Double) -> Duration? {
        guard seconds >= 0, seconds <= maximumSeconds else { return nil }
        return .milliseconds((seconds * 1000).rounded())
    }
}

extension String {
    fileprivate func trimmingCharacters() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
