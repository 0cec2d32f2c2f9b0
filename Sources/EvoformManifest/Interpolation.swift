/// Expands environment references in a manifest string: `${VAR}`, `${VAR:-default}` (the default
/// when VAR is unset or empty), and `$${` for a literal `${`. Any other `$` is kept as written.
enum Interpolation {
    struct Expansion: Equatable {
        /// The text with every reference replaced; a missing variable contributes nothing.
        var text: String
        /// Whether the text used at least one `${...}` reference (it is not a literal).
        var isInterpolated: Bool
        /// Variables referenced without a default that are not set, in order of appearance.
        var missing: [String]
    }

    /// A reference that cannot be read. The message never quotes the string (it may hold a secret).
    struct SyntaxError: Error, Equatable {
        var message: String
    }

    static func expand(_ text: String, environment: [String: String]) throws(SyntaxError) -> Expansion {
        let dollar = UInt8(ascii: "$")
        guard text.utf8.contains(dollar) else { return Expansion(text: text, isInterpolated: false, missing: []) }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var missing: [String] = []
        var interpolated = false
        var referenceNumber = 0
        var index = 0
        let count = bytes.count
        let openBrace = UInt8(ascii: "{")
        let closeBrace = UInt8(ascii: "}")
        while index < count {
            let byte = bytes[index]
            guard byte == dollar else {
                output.append(byte)
                index += 1
                continue
            }
            // `$${` is an escaped, literal `${`.
            if index + 2 < count, bytes[index + 1] == dollar, bytes[index + 2] == openBrace {
                output.append(dollar)
                output.append(openBrace)
                index += 3
                continue
            }
            guard index + 1 < count, bytes[index + 1] == openBrace else {
                output.append(byte)
                index += 1
                continue
            }
            referenceNumber += 1
            guard let close = bytes[(index + 2)...].firstIndex(of: closeBrace) else {
                throw SyntaxError(
                    message: "the ${ of reference \(referenceNumber) is not closed with }; write $${ for a literal ${")
            }
            let body = bytes[(index + 2)..<close]
            var nameEnd = body.startIndex
            while nameEnd < body.endIndex, isNameByte(body[nameEnd], first: nameEnd == body.startIndex) {
                nameEnd += 1
            }
            let name = String(decoding: body[body.startIndex..<nameEnd], as: UTF8.self)
            let rest = body[nameEnd...]
            guard !name.isEmpty, rest.isEmpty || rest.starts(with: Array(":-".utf8)) else {
                throw SyntaxError(
                    message: "reference \(referenceNumber) is not a valid ${VAR} or ${VAR:-default}; variable names are letters, digits and _, not starting with a digit (write $${ for a literal ${)")
            }
            interpolated = true
            if let value = environment[name], !(value.isEmpty && !rest.isEmpty) {
                output.append(contentsOf: value.utf8)
            } else if !rest.isEmpty {
                output.append(contentsOf: rest.dropFirst(2))
            } else {
                missing.append(name)
            }
            index = close + 1
        }
        return Expansion(text: String(decoding: output, as: UTF8.self), isInterpolated: interpolated, missing: missing)
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"): true
        case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
        default: false
        }
    }

}
