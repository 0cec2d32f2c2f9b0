/// A strict JSON parser whose error messages imitate V8's `JSON.parse` (the text the real
/// server puts in a 400 for a malformed body).
struct WireJSONParser {
    struct Failure: Error, Equatable {
        /// The V8-style message, e.g. `Expected property name or '}' in JSON at position 1`.
        var message: String
    }

    /// Whether messages carry V8 12+'s ` (line L column C)` suffix (Node 22 and later).
    var reportsLineAndColumn: Bool

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    init(_ bytes: [UInt8], reportsLineAndColumn: Bool = false) {
        self.bytes = bytes
        self.reportsLineAndColumn = reportsLineAndColumn
    }

    static func parse(_ bytes: [UInt8], reportsLineAndColumn: Bool = false) throws(Failure) -> WireJSON {
        var parser = WireJSONParser(bytes, reportsLineAndColumn: reportsLineAndColumn)
        return try parser.parseDocument()
    }

    mutating func parseDocument() throws(Failure) -> WireJSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position < bytes.count {
            throw failure("Unexpected non-whitespace character after JSON", inJSON: false)
        }
        return value
    }

    private mutating func parseValue() throws(Failure) -> WireJSON {
        guard position < bytes.count else { throw Failure(message: "Unexpected end of JSON input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpectedToken()
        }
    }

    private mutating func parseObject() throws(Failure) -> WireJSON {
        try enter()
        position += 1
        var object = WireObject()
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw Failure(message: "Unexpected end of JSON input") }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw failure("Expected property name or '}'")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count else { throw Failure(message: "Unexpected end of JSON input") }
            guard bytes[position] == UInt8(ascii: ":") else { throw failure("Expected ':' after property name") }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            object[key] = value
            skipWhitespace()
            guard position < bytes.count else { throw Failure(message: "Unexpected end of JSON input") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
                if peek == UInt8(ascii: "}") { throw failure("Expected double-quoted property name") }
                continue
            }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                depth -= 1
                return .object(object)
            }
            throw failure("Expected ',' or '}' after property value")
        }
    }

    private mutating func parseArray() throws(Failure) -> WireJSON {
        try enter()
        position += 1
        var values: [WireJSON] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(values)
        }
        while true {
            skipWhitespace()
            values.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw Failure(message: "Unexpected end of JSON input") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                depth -= 1
                return .array(values)
            }
            throw failure("Expected ',' or ']' after array element")
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > 512 { throw Failure(message: "Maximum call stack size exceeded") }
    }

    private mutating func parseString() throws(Failure) -> String {
        let start = position
        position += 1
        var scalars = String.UnicodeScalarView()
        var chunkStart = position
        func flush(_ end: Int, into scalars: inout String.UnicodeScalarView) {
            if end > chunkStart {
                scalars.append(contentsOf: String(decoding: bytes[chunkStart..<end], as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard position < bytes.count else {
                position = start
                throw failure("Unterminated string")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                flush(position, into: &scalars)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw failure("Bad control character in string literal") }
            if byte == UInt8(ascii: "\\") {
                flush(position, into: &scalars)
                position += 1
                guard position < bytes.count else {
                    position = start
                    throw failure("Unterminated string")
                }
                switch bytes[position] {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code), position + 6 < bytes.count,
                        bytes[position + 1] == UInt8(ascii: "\\"), bytes[position + 2] == UInt8(ascii: "u")
                    {
                        let save = position
                        position += 2
                        let low = try parseHex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                        }
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default:
                    throw failure("Bad escaped character")
                }
                position += 1
                chunkStart = position
                continue
            }
            position += 1
        }
    }

    /// Reads the four hex digits after `\u`; leaves `position` on the last digit.
    private mutating func parseHex4() throws(Failure) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            position += 1
            guard position < bytes.count, let digit = Self.hexValue(bytes[position]) else {
                throw failure("Bad Unicode escape")
            }
            code = code * 16 + digit
        }
        return code
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func parseNumber() throws(Failure) -> WireJSON {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        guard let first = peek else { throw Failure(message: "Unexpected end of JSON input") }
        if first == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(first) {
            while let byte = peek, isDigit(byte) { position += 1 }
        } else {
            throw failure("No number after minus sign")
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard let byte = peek else { throw Failure(message: "Unterminated fractional number") }
            guard isDigit(byte) else { throw failure("Unterminated fractional number") }
            while let byte = peek, isDigit(byte) { position += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard let byte = peek, isDigit(byte) else { throw failure("Exponent part is missing a number") }
            while let byte = peek, isDigit(byte) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return .number(Double(text) ?? 0)
    }

    private mutating func parseLiteral(_ word: String, _ value: WireJSON) throws(Failure) -> WireJSON {
        for expected in word.utf8 {
            guard position < bytes.count else { throw Failure(message: "Unexpected end of JSON input") }
            guard bytes[position] == expected else { throw unexpectedToken() }
            position += 1
        }
        return value
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    /// V8: `Unexpected token 'x', "<source>" is not valid JSON` (the source shortened around the error).
    private func unexpectedToken() -> Failure {
        let character = String(decoding: bytes[position...].prefix(4), as: UTF8.self).first.map(String.init) ?? "?"
        let source = String(decoding: bytes, as: UTF8.self)
        let excerpt: String
        if source.count <= 40 {
            excerpt = "\"\(source)\""
        } else {
            let offset = min(String(decoding: bytes[..<position], as: UTF8.self).count, source.count)
            let lower = source.index(source.startIndex, offsetBy: max(0, offset - 10))
            let upper = source.index(source.startIndex, offsetBy: min(source.count, offset + 10))
            let prefix = lower == source.startIndex ? "" : "..."
            let suffix = upper == source.endIndex ? "" : "..."
            excerpt = "\"\(prefix)\(source[lower..<upper])\(suffix)\""
        }
        return Failure(message: "Unexpected token '\(character)', \(excerpt) is not valid JSON")
    }

    private func failure(_ text: String, inJSON: Bool = true) -> Failure {
        var message = "\(text)\(inJSON ? " in JSON" : "") at position \(position)"
        if reportsLineAndColumn {
            var line = 1
            var column = 1
            for byte in bytes[..<min(position, bytes.count)] {
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            message += " (line \(line) column \(column))"
        }
        return Failure(message: message)
    }
}
