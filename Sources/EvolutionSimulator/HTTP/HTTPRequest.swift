/// One parsed HTTP/1.x request.
struct HTTPRequest: Sendable, Equatable {
    var method: String
    /// The request target exactly as sent, e.g. `/instance/fetchInstances?instanceName=a%20b`.
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The target before `?`, still percent-encoded.
    var rawPath: Substring {
        if let index = target.firstIndex(of: "?") { return target[..<index] }
        return target[...]
    }

    /// The query string after `?`, still encoded; empty when there is none.
    var rawQuery: Substring {
        if let index = target.firstIndex(of: "?") { return target[target.index(after: index)...] }
        return ""
    }

    /// Decoded query parameters in order (`+` is a space, as in a form).
    var queryItems: [(name: String, value: String)] {
        rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(parts[0], plusAsSpace: true) ?? String(parts[0])
            let value = parts.count > 1 ? (PercentDecoding.decode(parts[1], plusAsSpace: true) ?? String(parts[1])) : ""
            return (name, value)
        }
    }

    /// The first value of a query parameter.
    func query(_ name: String) -> String? { queryItems.first { $0.name == name }?.value }

    /// Whether the connection stays open after the response (HTTP/1.1 default, or
    /// `Connection: keep-alive` on HTTP/1.0).
    var keepAlive: Bool {
        let connection = headers["connection"]?.lowercased() ?? ""
        let tokens = connection.split(separator: ",").map { $0.trimmingWhitespace() }
        switch version {
        case .http11: return !tokens.contains("close")
        case .http10: return tokens.contains("keep-alive")
        }
    }

    static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.version == rhs.version
            && lhs.headers == rhs.headers && lhs.body == rhs.body
    }
}

enum HTTPVersion: String, Sendable, Equatable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
}

/// Header fields in arrival order; names compare case-insensitively.
struct HTTPHeaders: Sendable, Equatable {
    private(set) var fields: [(name: String, value: String)] = []
    /// The names lower-cased once, parallel to `fields`.
    private var loweredNames: [String] = []

    init(_ fields: [(String, String)] = []) {
        for (name, value) in fields { add(name, value) }
    }

    mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
        loweredNames.append(name.lowercased())
    }

    /// The first value of a header (names are case-insensitive).
    subscript(name: String) -> String? {
        let lowered = name.lowercased()
        guard let index = loweredNames.firstIndex(of: lowered) else { return nil }
        return fields[index].value
    }

    func values(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return loweredNames.indices.filter { loweredNames[$0] == lowered }.map { fields[$0].value }
    }

    static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.map { "\($0.name.lowercased()):\($0.value)" } == rhs.fields.map { "\($0.name.lowercased()):\($0.value)" }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}

/// `decodeURIComponent` for path segments and query parts.
enum PercentDecoding {
    /// The decoded text, or nil when an escape is malformed or the bytes are not UTF-8
    /// (Express then answers 400 `Failed to decode param`).
    static func decode<S: StringProtocol>(_ text: S, plusAsSpace: Bool = false) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.popFirst(), let low = iterator.popFirst(),
                    let value = hexPair(high, low)
                else { return nil }
                bytes.append(value)
            } else if plusAsSpace && byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexPair(_ high: UInt8, _ low: UInt8) -> UInt8? {
        guard let h = hexDigit(high), let l = hexDigit(low) else { return nil }
        return h << 4 | l
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `encodeURIComponent`, used to build `webhook_url`s the way the real server does.
    static func encodeComponent(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "~"),
                UInt8(ascii: "*"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
