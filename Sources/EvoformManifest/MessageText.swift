import EvoformCore

/// Small helpers for writing diagnostic messages.
enum MessageText {
    /// The longest text a message quotes; a longer value is cut with an ellipsis so that a
    /// 10 MB string never floods the terminal.
    static let quoteLimit = 60

    /// `"text"` as JSON would write it, shortened past `quoteLimit` characters.
    static func quoted(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard text.utf8.count > quoteLimit, scalars.prefix(quoteLimit + 1).count > quoteLimit else {
            return JSONValue.string(text).canonicalText
        }
        return JSONValue.string(String(Substring(scalars.prefix(quoteLimit - 1))) + "…").canonicalText
    }

    /// The longest word "did you mean" considers; edit distance is quadratic, and a longer word
    /// is no typo of a key or an event name.
    static let suggestionLimit = 64

    /// `Suggestion.closest`, skipped for words far longer than any candidate.
    static func suggestion(to word: String, in candidates: [String]) -> String? {
        guard word.utf8.count <= suggestionLimit else { return nil }
        return Suggestion.closest(to: word, in: candidates)
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String], conjunction: String = "and") -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
        }
    }

    /// `1 instance`, `2 instances`.
    static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? singular : (plural ?? singular + "s"))
    }
}
