/// Reads JSON with comments (`//`, `/* */`) and trailing commas, keeping the line and column of
/// every value and key. One pass over the UTF-8 bytes; the work is linear in the input size, so
/// a 10 MB string costs no more than 10 MB of anything else.
///
/// A syntax error stops reading (it is thrown); a duplicate key does not (it is reported in
/// `JSONCDocument.problems`, and both members are kept).
public enum JSONCReader {
    /// How deeply arrays and objects may nest. A manifest needs 4; anything near this limit is a
    /// mistake or an attack, and a clear error beats a stack overflow.
    public static let defaultMaximumDepth = 64

    public static func read(_ bytes: [UInt8], maximumDepth: Int = defaultMaximumDepth) throws(JSONCProblem)
        -> JSONCDocument
    {
        var parser = JSONCParser(bytes: bytes, maximumDepth: maximumDepth)
        return try parser.parseDocument()
    }

    /// Reads the document like `read`, and also returns every token in file order, comments
    /// included: the lossless view `ManifestFormatter` rewrites. The same parser produces both,
    /// so a file that reads has tokens, and a file that does not throws the same problem.
    public static func readWithTokens(_ bytes: [UInt8], maximumDepth: Int = defaultMaximumDepth) throws(JSONCProblem)
        -> (document: JSONCDocument, tokens: [JSONCToken])
    {
        var parser = JSONCParser(bytes: bytes, maximumDepth: maximumDepth)
        parser.recordsTokens = true
        let document = try parser.parseDocument()
        return (document, parser.tokens)
    }
}

private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let star = UInt8(ascii: "*")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let singleQuote = UInt8(ascii: "'")

    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), zero...nine,
            UInt8(ascii: "_"), UInt8(ascii: "$"), minus, dot, plus:
            true
        default:
            false
        }
    }
}

private struct JSONCParser {
    let bytes: [UInt8]
    let maximumDepth: Int
    var index = 0
    var problems: [JSONCProblem] = []
    /// The path being read, for messages; nil for a container's member not reached yet.
    var path: [JSONPathComponent?] = []

    // The position cursor: positions are asked for in increasing byte order, so each call only
    // scans the bytes since the previous one. Columns count Unicode scalars (UTF-8 lead bytes).
    var cursorOffset = 0
    var cursorLine = 1
    var cursorColumn = 1

    // Scratch stacks: a container's children are collected here and copied out once, at their
    // exact size, when the container closes (nested containers push and pop above them).
    var memberStack: [JSONCMember] = []
    var nodeStack: [JSONCNode] = []
    // Token recording (off for plain reads): every token with the line breaks before it.
    var recordsTokens = false
    var tokens: [JSONCToken] = []
    var lineBreaksSinceToken = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    // MARK: Document

    mutating func parseDocument() throws(JSONCProblem) -> JSONCDocument {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
            cursorOffset = 3
        }
        try skipTrivia()
        guard index < bytes.count else { return JSONCDocument(root: nil, problems: problems) }
        let root = try parseValue(depth: 1)
        try skipTrivia()
        if index < bytes.count {
            throw problem(
                at: index,
                "unexpected \(describe(at: index)) after the end of the document; a file holds exactly one JSON value")
        }
        return JSONCDocument(root: root, problems: problems)
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(JSONCProblem) -> JSONCNode {
        guard index < bytes.count else {
            throw problem(at: index, "unexpected end of the file; expected a value")
        }
        let start = index
        let (line, column) = location(at: start)
        switch bytes[index] {
        case Byte.openBrace:
            try checkDepth(depth, at: start)
            return JSONCNode(.object(try parseObject(depth: depth, line: line, column: column)), line: line, column: column)
        case Byte.openBracket:
            try checkDepth(depth, at: start)
            return JSONCNode(.array(try parseArray(depth: depth, line: line, column: column)), line: line, column: column)
        case Byte.quote:
            let text = try parseString()
            recordToken(.string, from: start)
            return JSONCNode(.string(text), line: line, column: column)
        case Byte.minus, Byte.zero...Byte.nine:
            let number = try parseNumber()
            recordToken(.number, from: start)
            return JSONCNode(.number(number), line: line, column: column)
        default:
            let literal = try parseLiteral()
            recordToken(.literal, from: start)
            return JSONCNode(literal, line: line, column: column)
        }
    }

    mutating func checkDepth(_ depth: Int, at offset: Int) throws(JSONCProblem) {
        if depth > maximumDepth {
            throw problem(
                at: offset, "arrays and objects are nested more than \(maximumDepth) levels deep; flatten the document")
        }
    }

    mutating func parseObject(depth: Int, line: Int, column: Int) throws(JSONCProblem) -> [JSONCMember] {
        index += 1
        recordToken(.openBrace, from: index - 1)
        let base = memberStack.count
        defer { memberStack.removeSubrange(base...) }
        var memberCount: Int { memberStack.count - base }
        // Repeated keys: a linear scan is cheapest for the small objects a manifest is made of;
        // a large object switches to a dictionary so the cost stays linear.
        var firstLineOfKey: [String: Int] = [:]
        path.append(nil)
        defer { path.removeLast() }
        while true {
            path[path.count - 1] = nil
            try skipTrivia()
            guard index < bytes.count else {
                throw problem(
                    at: index, "unexpected end of the file; the object opened at line \(line), column \(column) needs a closing }")
            }
            let byte = bytes[index]
            if byte == Byte.closeBrace {
                index += 1
                recordToken(.closeBrace, from: index - 1)
                return Array(memberStack[base...])
            }
            guard byte == Byte.quote else {
                throw unexpectedInObject(at: index)
            }
            let keyOffset = index
            let (keyLine, keyColumn) = location(at: keyOffset)
            let key = try parseString()
            recordToken(.string, from: keyOffset)
            path[path.count - 1] = .key(key)
            try skipTrivia()
            guard index < bytes.count, bytes[index] == Byte.colon else {
                throw problem(
                    at: index, "expected \":\" after the key \(MessageText.quoted(key)), found \(describe(at: index))")
            }
            index += 1
            recordToken(.colon, from: index - 1)
            try skipTrivia()
            if index < bytes.count, bytes[index] == Byte.comma || bytes[index] == Byte.closeBrace {
                throw problem(at: index, "expected a value for the key \(MessageText.quoted(key)), found \(describe(at: index))")
            }
            let value = try parseValue(depth: depth + 1)
            let firstLine: Int?
            if memberCount < 16 {
                firstLine = memberStack[base...].first { $0.key == key }?.keyLine
            } else {
                if firstLineOfKey.isEmpty {
                    for member in memberStack[base...].reversed() { firstLineOfKey[member.key] = member.keyLine }
                }
                firstLine = firstLineOfKey[key]
            }
            if let firstLine {
                problems.append(
                    JSONCProblem(
                        line: keyLine, column: keyColumn, path: JSONPath.render(path.compactMap { $0 }),
                        message: "duplicate key \(MessageText.quoted(key)) (first at line \(firstLine)); remove one of them"))
            } else if !firstLineOfKey.isEmpty {
                firstLineOfKey[key] = keyLine
            }
            memberStack.append(JSONCMember(key: key, keyLine: keyLine, keyColumn: keyColumn, value: value))
            try skipTrivia()
            guard index < bytes.count else {
                path[path.count - 1] = nil
                throw problem(
                    at: index, "unexpected end of the file; the object opened at line \(line), column \(column) needs a closing }")
            }
            switch bytes[index] {
            case Byte.comma:
                index += 1
                recordToken(.comma, from: index - 1)
            case Byte.closeBrace:
                index += 1
                recordToken(.closeBrace, from: index - 1)
                return Array(memberStack[base...])
            case Byte.quote:
                throw problem(at: index, "expected \",\" or \"}\" after the value of \(MessageText.quoted(key)); a comma is missing before this key")
            default:
                throw problem(
                    at: index, "expected \",\" or \"}\" after the value of \(MessageText.quoted(key)), found \(describe(at: index))")
            }
        }
    }

    mutating func unexpectedInObject(at offset: Int) -> JSONCProblem {
        let byte = bytes[offset]
        if byte == Byte.comma {
            return problem(at: offset, "unexpected \",\"; expected a key in double quotes or \"}\"")
        }
        if byte == Byte.singleQuote {
            return problem(at: offset, "object keys use double quotes, not single quotes")
        }
        if Byte.isWordByte(byte) {
            let word = self.word(at: offset)
            return problem(at: offset, "object keys must be in double quotes: write \(MessageText.quoted(word))")
        }
        return problem(
            at: offset, "expected a key in double quotes or \"}\", found \(describe(at: offset))")
    }

    mutating func parseArray(depth: Int, line: Int, column: Int) throws(JSONCProblem) -> [JSONCNode] {
        index += 1
        recordToken(.openBracket, from: index - 1)
        let base = nodeStack.count
        defer { nodeStack.removeSubrange(base...) }
        path.append(nil)
        defer { path.removeLast() }
        while true {
            path[path.count - 1] = nil
            try skipTrivia()
            guard index < bytes.count else {
                throw problem(
                    at: index, "unexpected end of the file; the array opened at line \(line), column \(column) needs a closing ]")
            }
            if bytes[index] == Byte.closeBracket {
                index += 1
                recordToken(.closeBracket, from: index - 1)
                return Array(nodeStack[base...])
            }
            path[path.count - 1] = .index(nodeStack.count - base)
            if bytes[index] == Byte.comma {
                throw problem(at: index, "unexpected \",\"; expected a value or \"]\"")
            }
            let item = try parseValue(depth: depth + 1)
            nodeStack.append(item)
            try skipTrivia()
            guard index < bytes.count else {
                path[path.count - 1] = nil
                throw problem(
                    at: index, "unexpected end of the file; the array opened at line \(line), column \(column) needs a closing ]")
            }
            switch bytes[index] {
            case Byte.comma:
                index += 1
                recordToken(.comma, from: index - 1)
            case Byte.closeBracket:
                index += 1
                recordToken(.closeBracket, from: index - 1)
                return Array(nodeStack[base...])
            case Byte.closeBrace:
                throw problem(at: index, "expected \",\" or \"]\", found \"}\"; the array opened at line \(line), column \(column) is not closed")
            default:
                throw problem(
                    at: index, "expected \",\" or \"]\" after an array element, found \(describe(at: index)); a comma may be missing")
            }
        }
    }

    // MARK: Strings

    /// Reads a string starting at the opening quote. Strings without escapes are decoded from
    /// one slice; escapes go through a byte buffer.
    mutating func parseString() throws(JSONCProblem) -> String {
        let start = index
        index += 1
        let contentStart = index
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == Byte.quote {
                let text = String(decoding: bytes[contentStart..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == Byte.backslash || byte < 0x20 { break }
            if byte < 0x80 {
                index += 1
            } else {
                index += try validSequenceLength(at: index)
            }
        }
        var buffer: [UInt8] = Array(bytes[contentStart..<index])
        while true {
            guard index < count else {
                throw problem(at: start, "this string is not closed; add the closing \"")
            }
            let byte = bytes[index]
            if byte == Byte.quote {
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte == Byte.backslash {
                try parseEscape(into: &buffer)
                continue
            }
            if byte < 0x20 {
                if byte == Byte.newline || byte == Byte.carriageReturn {
                    throw problem(
                        at: start, "this string is not closed before the end of the line; add the closing \" (write \\n for a line break)")
                }
                throw problem(at: index, "a control character (\(Self.codePoint(UInt32(byte)))) must be escaped inside a string")
            }
            if byte < 0x80 {
                buffer.append(byte)
                index += 1
            } else {
                let length = try validSequenceLength(at: index)
                buffer.append(contentsOf: bytes[index..<(index + length)])
                index += length
            }
        }
    }

    /// The length of the UTF-8 sequence starting at `offset`; an invalid one is an error. Strings
    /// are checked as they are read (they are the only place text can hide); elsewhere any
    /// non-ASCII byte is a syntax error anyway, and comments are skipped.
    mutating func validSequenceLength(at offset: Int) throws(JSONCProblem) -> Int {
        guard let length = UTF8Validation.sequenceLength(in: bytes, at: offset) else {
            throw problem(at: offset, "the file is not valid UTF-8 text; save it as UTF-8")
        }
        return length
    }

    mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONCProblem) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else {
            throw problem(at: escapeStart, "this string is not closed; add the closing \"")
        }
        let byte = bytes[index]
        index += 1
        switch byte {
        case Byte.quote: buffer.append(Byte.quote)
        case Byte.backslash: buffer.append(Byte.backslash)
        case Byte.slash: buffer.append(Byte.slash)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(Byte.newline)
        case UInt8(ascii: "r"): buffer.append(Byte.carriageReturn)
        case UInt8(ascii: "t"): buffer.append(Byte.tab)
        case UInt8(ascii: "u"):
            let unit = try parseHex4(escapeStart: escapeStart)
            let scalarValue: UInt32
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 1 < bytes.count, bytes[index] == Byte.backslash, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw problem(
                        at: escapeStart,
                        "\\u\(Self.hex(unit)) is a lone high surrogate; it must be followed by a low surrogate \\uDC00-\\uDFFF")
                }
                let lowStart = index
                index += 2
                let low = try parseHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw problem(
                        at: escapeStart,
                        "\\u\(Self.hex(unit)) is a lone high surrogate; it must be followed by a low surrogate \\uDC00-\\uDFFF, not \\u\(Self.hex(low))")
                }
                scalarValue = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                throw problem(
                    at: escapeStart, "\\u\(Self.hex(unit)) is a lone low surrogate; it must follow a high surrogate \\uD800-\\uDBFF")
            default:
                scalarValue = unit
            }
            // Every value here is a valid scalar: surrogates were combined or rejected above.
            let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
            buffer.append(contentsOf: UTF8.encode(scalar)!)
        default:
            let shown = byte > 0x20 && byte < 0x7F ? "\\" + String(UnicodeScalar(byte)) : "\\ followed by \(describe(at: index - 1))"
            throw problem(
                at: escapeStart,
                "invalid escape \(shown); the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX (write \\\\ for a backslash)")
        }
    }

    mutating func parseHex4(escapeStart: Int) throws(JSONCProblem) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = Self.hexDigit(bytes[index]) else {
                throw problem(at: escapeStart, "\\u must be followed by four hexadecimal digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case Byte.zero...Byte.nine: UInt32(byte - Byte.zero)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func codePoint(_ value: UInt32) -> String { "U+" + hex(value) }

    // MARK: Numbers

    mutating func parseNumber() throws(JSONCProblem) -> Double {
        let start = index
        if bytes[index] == Byte.minus {
            index += 1
            guard index < bytes.count, Byte.isDigit(bytes[index]) else {
                throw problem(at: start, "a \"-\" must be followed by digits")
            }
        }
        if bytes[index] == Byte.zero {
            index += 1
            if index < bytes.count, Byte.isDigit(bytes[index]) {
                throw problem(at: start, "numbers cannot have leading zeros; write \(MessageText.quoted(word(at: start))) without them, or as a string")
            }
        } else {
            while index < bytes.count, Byte.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == Byte.dot {
            index += 1
            guard index < bytes.count, Byte.isDigit(bytes[index]) else {
                throw problem(at: start, "a decimal point must be followed by digits")
            }
            while index < bytes.count, Byte.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == Byte.plus || bytes[index] == Byte.minus { index += 1 }
            guard index < bytes.count, Byte.isDigit(bytes[index]) else {
                throw problem(at: start, "an exponent must be followed by digits")
            }
            while index < bytes.count, Byte.isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw problem(at: start, "the number \(MessageText.quoted(text)) is too large")
        }
        return value
    }

    // MARK: Literals

    mutating func parseLiteral() throws(JSONCProblem) -> JSONCNode.Value {
        let start = index
        let byte = bytes[start]
        if byte == Byte.singleQuote {
            throw problem(at: start, "strings use double quotes, not single quotes")
        }
        guard Byte.isWordByte(byte) else {
            throw problem(at: start, "expected a value, found \(describe(at: start))")
        }
        let word = self.word(at: start)
        let value: JSONCNode.Value
        switch word {
        case "true": value = .bool(true)
        case "false": value = .bool(false)
        case "null": value = .null
        default:
            let hint: String
            switch word.lowercased() {
            case "true", "yes", "on": hint = "; did you mean true?"
            case "false", "no", "off": hint = "; did you mean false?"
            case "null", "none", "nil", "undefined": hint = "; did you mean null?"
            case "nan", "infinity", "+infinity", "-infinity": hint = "; JSON has no NaN or Infinity"
            default:
                hint = word.first == "+" ? "; JSON numbers have no leading +" : "; text values need double quotes"
            }
            throw problem(at: start, "unexpected \(MessageText.quoted(word))\(hint)")
        }
        index += word.utf8.count
        return value
    }

    /// The run of identifier-like bytes starting at `offset` (for messages).
    func word(at offset: Int) -> String {
        var end = offset
        while end < bytes.count, Byte.isWordByte(bytes[end]), end - offset < 64 { end += 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    // MARK: Whitespace and comments

    mutating func skipTrivia() throws(JSONCProblem) {
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == Byte.space || byte == Byte.newline || byte == Byte.carriageReturn || byte == Byte.tab {
                if recordsTokens { countLineBreak(at: index) }
                index += 1
            } else if byte == Byte.slash {
                let next = index + 1 < count ? bytes[index + 1] : 0
                if next == Byte.slash {
                    let start = index
                    index += 2
                    while index < count, bytes[index] != Byte.newline, bytes[index] != Byte.carriageReturn { index += 1 }
                    recordToken(.lineComment, from: start)
                } else if next == Byte.star {
                    let start = index
                    index += 2
                    while true {
                        guard index + 1 < count else {
                            index = count
                            throw problem(at: start, "this /* comment is not closed; add */")
                        }
                        if bytes[index] == Byte.star, bytes[index + 1] == Byte.slash {
                            index += 2
                            recordToken(.blockComment, from: start)
                            break
                        }
                        index += 1
                    }
                } else {
                    throw problem(at: index, "unexpected \"/\"; comments start with // or /*")
                }
            } else {
                return
            }
        }
    }

    /// Counts `\n`, `\r\n` and a lone `\r` as one line break each.
    mutating func countLineBreak(at offset: Int) {
        let byte = bytes[offset]
        if byte == Byte.newline
            || (byte == Byte.carriageReturn && (offset + 1 >= bytes.count || bytes[offset + 1] != Byte.newline))
        {
            lineBreaksSinceToken += 1
        }
    }

    /// Records the token that ends at `index` (when recording).
    mutating func recordToken(_ kind: JSONCToken.Kind, from start: Int) {
        guard recordsTokens else { return }
        tokens.append(JSONCToken(kind: kind, range: start..<index, lineBreaksBefore: lineBreaksSinceToken))
        lineBreaksSinceToken = 0
    }

    // MARK: Positions and messages

    /// Line and column of a byte offset. Offsets are requested in increasing order; an earlier
    /// one (only ever for an error) restarts the scan from the beginning.
    mutating func location(at offset: Int) -> (line: Int, column: Int) {
        if offset < cursorOffset {
            cursorOffset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            cursorLine = 1
            cursorColumn = 1
        }
        let end = min(offset, bytes.count)
        var line = cursorLine
        var column = cursorColumn
        var position = cursorOffset
        while position < end {
            let byte = bytes[position]
            if byte == Byte.newline {
                line += 1
                column = 1
            } else if byte == Byte.carriageReturn {
                if position + 1 >= bytes.count || bytes[position + 1] != Byte.newline {
                    line += 1
                    column = 1
                }
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            position += 1
        }
        cursorOffset = end
        cursorLine = line
        cursorColumn = column
        return (line, column)
    }

    mutating func problem(at offset: Int, _ message: String) -> JSONCProblem {
        let (line, column) = location(at: offset)
        return JSONCProblem(line: line, column: column, path: JSONPath.render(path.compactMap { $0 }), message: message)
    }

    /// `"x"`, `the end of the file`, `"é" (U+00E9)` or `U+0007`.
    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        if byte < 0x80 { return describeRaw(byte) }
        if UTF8Validation.sequenceLength(in: bytes, at: offset) == nil {
            return "a byte that is not valid UTF-8 (0x\(String(byte, radix: 16, uppercase: true)))"
        }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[offset..<end], as: UTF8.self)
        let value = text.unicodeScalars.first.map(\.value) ?? 0xFFFD
        return "\(MessageText.quoted(text)) (\(Self.codePoint(value)))"
    }

    func describeRaw(_ byte: UInt8) -> String {
        if byte < 0x20 || byte == 0x7F { return Self.codePoint(UInt32(byte)) }
        return MessageText.quoted(String(UnicodeScalar(byte)))
    }
}

/// Checks UTF-8 one sequence at a time (overlong forms, surrogates and values past U+10FFFF are
/// invalid), so an error can point at the exact byte.
enum UTF8Validation {
    /// The length (2-4) of the valid multi-byte sequence at `index`, or nil. ASCII is 1.
    static func sequenceLength(in bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return nil
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return nil }
        for continuation in 2..<length where bytes[index + continuation] & 0xC0 != 0x80 {
            return nil
        }
        return length
    }
}
