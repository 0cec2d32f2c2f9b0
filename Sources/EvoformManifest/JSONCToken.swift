/// One lexical token of a JSONC document, comments included, as `JSONCReader.readWithTokens`
/// returns them: enough to rewrite a file without losing a comment.
public struct JSONCToken: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case openBrace, closeBrace, openBracket, closeBracket, colon, comma
        /// A string, key or value, with its quotes and escapes as written.
        case string
        case number
        /// `true`, `false` or `null`.
        case literal
        /// `// ...` up to (not including) the end of the line.
        case lineComment
        /// `/* ... */`, possibly over several lines.
        case blockComment
    }

    public var kind: Kind
    /// Byte offsets of the token in the document.
    public var range: Range<Int>
    /// Line breaks in the whitespace between the previous token (or the start) and this one.
    public var lineBreaksBefore: Int

    public init(kind: Kind, range: Range<Int>, lineBreaksBefore: Int) {
        self.kind = kind
        self.range = range
        self.lineBreaksBefore = lineBreaksBefore
    }

    public var isComment: Bool { kind == .lineComment || kind == .blockComment }
}
