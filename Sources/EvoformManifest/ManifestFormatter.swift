import Foundation

/// The canonical layout of a manifest (`evoform fmt`), keeping every comment.
///
/// - Two-space indentation; every non-empty object is a block, one member per line, so each
///   instance is its own block. Keys keep the order they are written in.
/// - An array of scalars (no comment inside) goes on one line, `["A", "B"]`, when that line fits
///   in `lineWidth` columns; any other non-empty array has one element per line.
/// - One space after `:` and `,`, none before; `{}` and `[]` for empty containers.
/// - Trailing commas are removed (the output is plain JSON when it has no comment).
/// - Comments stay where they are relative to the values: a comment on the same line as a value
///   stays at the end of that line (consecutive ones aligned), a comment on its own line stays
///   on its own line. Line comments lose trailing spaces; block comments are kept verbatim.
/// - One blank line is kept where the file has one or more between members; none after `{`/`[`.
/// - Strings and numbers are written exactly as in the file (escapes unchanged), so the values
///   read back identically. Line ends become `\n`, a byte order mark is dropped, and the file
///   ends with one newline.
///
/// The formatter only needs valid JSONC: it does not check the manifest's rules.
public enum ManifestFormatter {
    /// The column limit for joining a short array onto one line.
    public static let lineWidth = 100

    /// The formatted text of `contents`. A syntax error is thrown as the same diagnostic
    /// `ManifestLoader` reports (`FILE:LINE:COL: PATH: message`).
    public static func format(_ contents: Data, path: String) throws(ManifestError) -> Data {
        do {
            return Data(try format([UInt8](contents)).utf8)
        } catch {
            throw ManifestError(syntax: error, path: path)
        }
    }

    /// The formatted text of a JSONC document.
    public static func format(_ bytes: [UInt8]) throws(JSONCProblem) -> String {
        let (_, tokens) = try JSONCReader.readWithTokens(bytes)
        var printer = FormatPrinter(bytes: bytes, tokens: tokens)
        return printer.document()
    }
}

/// Prints a token stream that the reader accepted (so it is well formed) in the canonical layout.
private struct FormatPrinter {
    /// One output line: its indentation level, its text, and where a trailing comment starts.
    struct Line {
        var indent: Int
        var text: String
        /// Character offset in `text` of a comment that ends the line after code, for alignment.
        var trailingCommentStart: Int?
    }

    let bytes: [UInt8]
    let tokens: [JSONCToken]
    var index = 0
    var lines: [Line] = []
    var current: Line?
    var indent = 0
    /// Just after `{` or `[`: no blank line here.
    var atContainerStart = false
    /// A block comment on its own line is followed on the same line by the next token.
    var keepLine = false

    init(bytes: [UInt8], tokens: [JSONCToken]) {
        self.bytes = bytes
        self.tokens = tokens
    }

    mutating func document() -> String {
        emitComments()
        if index < tokens.count {
            startItem()
            value()
            emitComments()
        }
        breakLine()
        alignTrailingComments()
        guard !lines.isEmpty else { return "" }
        var output = ""
        for line in lines {
            if !line.text.isEmpty {
                output += String(repeating: " ", count: 2 * line.indent) + line.text
            }
            output += "\n"
        }
        return output
    }

    // MARK: Values

    mutating func value() {
        switch tokens[index].kind {
        case .openBrace: object()
        case .openBracket: array()
        default:
            write(text(of: tokens[index]))
            index += 1
        }
    }

    mutating func object() {
        write("{")
        index += 1
        if tokens[index].kind == .closeBrace {
            write("}")
            index += 1
            return
        }
        atContainerStart = true
        indent += 1
        emitComments()
        while tokens[index].kind != .closeBrace {
            startItem()
            write(text(of: tokens[index]))
            index += 1
            emitComments()
            write(":")
            index += 1
            emitComments()
            space()
            value()
            finishItem(closer: .closeBrace)
        }
        indent -= 1
        breakLine()
        write("}")
        index += 1
    }

    mutating func array() {
        if let (inline, end) = inlineArray(), fits(inline, endingAt: end) {
            write(inline)
            index = end
            return
        }
        write("[")
        index += 1
        if tokens[index].kind == .closeBracket {
            write("]")
            index += 1
            return
        }
        atContainerStart = true
        indent += 1
        emitComments()
        while tokens[index].kind != .closeBracket {
            startItem()
            value()
            finishItem(closer: .closeBracket)
        }
        indent -= 1
        breakLine()
        write("]")
        index += 1
    }

    /// `["A", "B"]` for an array of scalars without comments, and the index after its `]`.
    func inlineArray() -> (String, Int)? {
        var parts: [String] = []
        var position = index + 1
        while true {
            let token = tokens[position]
            switch token.kind {
            case .closeBracket:
                return ("[" + parts.joined(separator: ", ") + "]", position + 1)
            case .string, .number, .literal:
                parts.append(text(of: token))
                position += 1
                if tokens[position].kind == .comma { position += 1 }
            default:
                return nil
            }
        }
    }

    /// Whether `text` fits on the current line, with the comma that will follow it.
    func fits(_ text: String, endingAt end: Int) -> Bool {
        let column = current.map { 2 * $0.indent + $0.text.count } ?? 2 * indent
        let comma = commaFollows(from: end) ? 1 : 0
        return column + text.count + comma <= ManifestFormatter.lineWidth
    }

    /// Whether a comma that is kept (not a trailing one) follows at `position`, past comments.
    func commaFollows(from position: Int) -> Bool {
        guard let comma = skippingComments(from: position), tokens[comma].kind == .comma,
            let next = skippingComments(from: comma + 1)
        else { return false }
        return tokens[next].kind != .closeBrace && tokens[next].kind != .closeBracket
    }

    func skippingComments(from position: Int) -> Int? {
        var position = position
        while position < tokens.count, tokens[position].isComment { position += 1 }
        return position < tokens.count ? position : nil
    }

    // MARK: Items and comments

    /// Starts a member or element on a new line, after one blank line if the file has one.
    mutating func startItem() {
        if keepLine {
            keepLine = false
            return
        }
        if tokens[index].lineBreaksBefore >= 2 { blankLine() } else { breakLine() }
    }

    /// After a value: the comma (unless it is trailing) right after the value, then the comments
    /// around it.
    mutating func finishItem(closer: JSONCToken.Kind) {
        guard let comma = skippingComments(from: index), tokens[comma].kind == .comma else {
            emitComments()
            return
        }
        if let next = skippingComments(from: comma + 1), tokens[next].kind != closer {
            write(",")
        }
        emitComments()
        index += 1
        emitComments()
    }

    /// Writes the comments at `index`: one on the line of the previous token stays at the end of
    /// that line; the others get their own lines.
    mutating func emitComments() {
        while index < tokens.count, tokens[index].isComment {
            let token = tokens[index]
            let comment = text(of: token)
            if token.lineBreaksBefore == 0, let line = current, !line.text.isEmpty {
                space()
                let start = current?.text.count ?? 0
                write(comment)
                current?.trailingCommentStart = start
            } else {
                if token.lineBreaksBefore >= 2 { blankLine() } else { breakLine() }
                write(comment)
            }
            index += 1
            if token.kind == .lineComment {
                breakLine()
            } else if index < tokens.count, tokens[index].lineBreaksBefore == 0 {
                if current?.trailingCommentStart == nil { keepLine = true }
                space()
            } else {
                breakLine()
            }
        }
    }

    // MARK: Output

    mutating func write(_ text: String) {
        if current == nil {
            current = Line(indent: indent, text: "", trailingCommentStart: nil)
        }
        current!.trailingCommentStart = nil
        current!.text += text
        atContainerStart = text == "{" || text == "["
        keepLine = false
    }

    mutating func space() {
        guard let line = current, !line.text.isEmpty, !line.text.hasSuffix(" ") else { return }
        current!.text += " "
    }

    mutating func breakLine() {
        guard var line = current else { return }
        while line.text.hasSuffix(" ") { line.text.removeLast() }
        lines.append(line)
        current = nil
    }

    mutating func blankLine() {
        breakLine()
        guard !atContainerStart, let last = lines.last, !last.text.isEmpty else { return }
        lines.append(Line(indent: 0, text: "", trailingCommentStart: nil))
    }

    /// Consecutive lines of one indentation whose code ends with a comment get their comments
    /// aligned (a line that starts with a comment is not code).
    mutating func alignTrailingComments() {
        func aligns(_ line: Line) -> Bool { line.trailingCommentStart != nil && !line.text.hasPrefix("/") }
        var start = 0
        while start < lines.count {
            guard aligns(lines[start]) else {
                start += 1
                continue
            }
            var end = start + 1
            while end < lines.count, aligns(lines[end]), lines[end].indent == lines[start].indent {
                end += 1
            }
            if end - start > 1 {
                let codes = lines[start..<end].map { code(of: $0) }
                let width = codes.map(\.count).max() ?? 0
                for offset in start..<end {
                    let line = lines[offset]
                    let code = codes[offset - start]
                    let comment = String(line.text.dropFirst(line.trailingCommentStart!))
                    lines[offset].text = code + String(repeating: " ", count: width - code.count + 1) + comment
                    lines[offset].trailingCommentStart = width + 1
                }
            }
            start = end
        }
    }

    func code(of line: Line) -> String {
        var code = String(line.text.prefix(line.trailingCommentStart!))
        while code.hasSuffix(" ") { code.removeLast() }
        return code
    }

    /// A token's text as written; line comments without trailing blanks, line ends as `\n`.
    func text(of token: JSONCToken) -> String {
        let raw = String(decoding: bytes[token.range], as: UTF8.self)
        switch token.kind {
        case .lineComment:
            var text = Substring(raw)
            while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            return String(text)
        case .blockComment:
            return raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        default:
            return raw
        }
    }
}
