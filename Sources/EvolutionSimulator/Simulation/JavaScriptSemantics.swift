/// The few JavaScript value rules the real server's code relies on.
enum JavaScript {
    /// `a || b`: `a` if it is truthy, else `b`. A missing value is undefined (falsy).
    static func or(_ value: WireJSON?, _ fallback: WireJSON) -> WireJSON {
        if let value, value.isTruthy { return value }
        return fallback
    }

    /// `a ?? b`: `a` unless it is null or undefined.
    static func coalesce(_ value: WireJSON?, _ fallback: WireJSON) -> WireJSON {
        if let value, value != .null { return value }
        return fallback
    }

    static func isTruthy(_ value: WireJSON?) -> Bool { value?.isTruthy ?? false }

    /// `String(value)` / a template literal of the value (`undefined` when missing).
    static func string(_ value: WireJSON?) -> String {
        switch value {
        case nil: "undefined"
        case .null?: "null"
        case .string(let text)?: text
        case .bool(let flag)?: flag ? "true" : "false"
        case .number(let number)?: WireJSON.format(number)
        case .array(let values)?: values.map { string($0) }.joined(separator: ",")
        case .object?: "[object Object]"
        }
    }

    /// validator.js `isURL(value, {require_tld: false})` with its other defaults: protocol
    /// optional but, when present, http, https or ftp; no protocol-relative URLs; host a
    /// domain name without underscores, an IPv4 address or a bracketed IPv6 address; port 1-65535.
    /// An approximation of the library, close enough for the values a provisioning tool sends.
    static func isURL(_ value: WireJSON?) -> Bool {
        guard case .string(var url)? = value else { return false }
        if url.isEmpty || url.count >= 2083 || url.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) {
            return false
        }
        if url.lowercased().hasPrefix("mailto:") { return false }
        if let range = url.range(of: "://") {
            let scheme = url[..<range.lowerBound].lowercased()
            guard ["http", "https", "ftp"].contains(scheme) else { return false }
            url = String(url[range.upperBound...])
        } else if url.hasPrefix("//") {
            return false
        }
        if let index = url.firstIndex(where: { $0 == "#" || $0 == "?" || $0 == "/" }) {
            url = String(url[..<index])
        }
        if let at = url.lastIndex(of: "@") {
            let auth = url[..<at]
            if auth.isEmpty || auth.filter({ $0 == ":" }).count > 1 { return false }
            url = String(url[url.index(after: at)...])
        }
        var host = url
        if url.hasPrefix("[") {
            guard let close = url.firstIndex(of: "]") else { return false }
            host = String(url[url.index(after: url.startIndex)..<close])
            let rest = url[url.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), isPort(rest.dropFirst()) else { return false }
            }
            return !host.isEmpty && host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        if let colon = url.lastIndex(of: ":") {
            host = String(url[..<colon])
            guard isPort(url[url.index(after: colon)...]) else { return false }
        }
        guard !host.isEmpty, host.count <= 253 else { return false }
        if isIPv4(host) { return true }
        var labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.last == "" { labels.removeLast() }
        guard !labels.isEmpty else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else { return false }
            guard label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return false }
        }
        if let last = labels.last, labels.count > 1, last.allSatisfy(\.isNumber) { return false }
        return true
    }

    private static func isPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text) else {
            return false
        }
        return port > 0 && port <= 65535
    }

    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(part) else {
                return false
            }
            return value <= 255 && (part.count == 1 || !part.hasPrefix("0"))
        }
    }
}
