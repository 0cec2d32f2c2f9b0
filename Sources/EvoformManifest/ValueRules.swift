import Foundation

/// The format rules of single values: instance names, tokens, URLs. Each returns the message of
/// the problem, or nil when the value is fine.
enum ValueRules {
    /// Names are lowercase ASCII letters and digits (the documented rule: "non-accented lowercase
    /// alphabetic characters or numbers"). Each kind of offence is named, and a fixed name offered.
    static func instanceNameProblem(_ name: String) -> String? {
        if name.isEmpty {
            return "instanceName is empty; name the instance with lowercase letters and digits, e.g. \"sales01\""
        }
        if name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) { return nil }
        var hasUppercase = false
        var hasAccent = false
        var hasSpace = false
        var symbols: [String] = []
        for scalar in name.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A, 0x30...0x39:
                continue
            case 0x41...0x5A:
                hasUppercase = true
            default:
                if scalar.properties.isWhitespace {
                    hasSpace = true
                } else if scalar.properties.isAlphabetic || scalar.properties.generalCategory == .nonspacingMark {
                    hasAccent = true
                } else if symbols.count < 3, !symbols.contains(String(scalar)) {
                    symbols.append(String(scalar))
                }
            }
        }
        var offences: [String] = []
        if hasUppercase { offences.append("has uppercase letters") }
        if hasAccent { offences.append("has accented or non-Latin letters") }
        if hasSpace { offences.append("contains spaces") }
        if !symbols.isEmpty {
            let shown = symbols.map(MessageText.quoted).joined(separator: ", ")
            offences.append(symbols.count == 1 ? "contains the symbol \(shown)" : "contains the symbols \(shown)")
        }
        guard !offences.isEmpty else { return nil }
        var message = "instanceName \(MessageText.quoted(name)) \(MessageText.list(offences)); "
        if offences.count == 1, hasUppercase {
            message += "names are lowercase letters and digits only"
        } else {
            message += "use only lowercase letters (a-z) and digits (0-9)"
        }
        let fixed = suggestedName(for: name)
        if !fixed.isEmpty, fixed != name { message += ": did you mean \(MessageText.quoted(fixed))?" }
        return message
    }

    /// The name with accents removed, lowercased, and everything but a-z and 0-9 dropped.
    ///
    /// Each scalar is decomposed on its own: the canonical reordering of a whole string only
    /// moves combining marks, which are dropped anyway, so the result is the same as decomposing
    /// the whole name; but Foundation's whole-string decomposition is quadratic on Linux (a
    /// 2 MB name of accented letters took minutes).
    static func suggestedName(for name: String) -> String {
        var result = String.UnicodeScalarView()
        var folded: [Unicode.Scalar: String] = [:]
        for scalar in name.unicodeScalars {
            let text: String
            if scalar.isASCII {
                text = String(scalar).lowercased()
            } else if let known = folded[scalar] {
                text = known
            } else {
                text = String(scalar).decomposedStringWithCanonicalMapping.lowercased()
                folded[scalar] = text
            }
            for part in text.unicodeScalars
            where (0x61...0x7A).contains(part.value) || (0x30...0x39).contains(part.value) {
                result.append(part)
            }
        }
        return String(result)
    }

    /// Tokens are ASCII letters, digits and hyphens. The message never shows the token.
    static func tokenProblem(_ token: String, interpolated: Bool) -> String? {
        let source = interpolated ? " (the value read from the environment is not shown)" : ""
        if token.isEmpty {
            return "the token is empty\(source); remove \"token\" to let the server generate one, or give a value"
        }
        let valid = token.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        if valid { return nil }
        return "the token may contain only letters, digits and hyphens\(source); use a value such as a UUID"
    }

    /// Absolute `http://` or `https://` URLs with a host (and a numeric port, if any).
    /// `subject` names the value in the message (`webhook URL`); `show` is false for values read
    /// from the environment, which are never echoed (a URL may carry credentials).
    static func urlProblem(_ url: String, subject: String, sample: String, show: Bool = true) -> String? {
        if isPlainValidURL(url) { return nil }
        // Built only when there is a problem to tell: most URLs are fine, and quoting costs.
        var shown: String { show ? " \(MessageText.quoted(url))" : " read from the environment" }
        var example: String { "use an absolute http(s) URL such as \"\(sample)\"" }
        if url.isEmpty { return "the \(subject) is empty; \(example)" }
        // ASCII first (whitespace there is 0x09-0x0D and 0x20): Unicode properties are slow.
        if url.unicodeScalars.contains(where: {
            $0.value < 0x80 ? $0.value <= 0x20 || $0.value == 0x7F : $0.properties.isWhitespace
        }) {
            return "the \(subject)\(shown) contains spaces or control characters; remove them, or encode a space as %20"
        }
        let lowered = url.lowercased()
        let rest: Substring
        if lowered.hasPrefix("https://") {
            rest = url.dropFirst(8)
        } else if lowered.hasPrefix("http://") {
            rest = url.dropFirst(7)
        } else if let separator = url.range(of: "://") {
            let scheme = url[..<separator.lowerBound]
            return "the \(subject)\(shown) uses \(MessageText.quoted(String(scheme))); only http and https are allowed: \(example)"
        } else {
            return "the \(subject)\(shown) is not an absolute URL; start it with https:// or http://, e.g. \"\(sample)\""
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var hostAndPort = authority
        if let at = authority.lastIndex(of: "@") { hostAndPort = authority[authority.index(after: at)...] }
        var host = hostAndPort
        var port: Substring?
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else {
                return "the \(subject)\(shown) has an unclosed [ in its host; \(example)"
            }
            host = hostAndPort[...close]
            let after = hostAndPort[hostAndPort.index(after: close)...]
            if after.hasPrefix(":") { port = after.dropFirst() } else if !after.isEmpty {
                return "the \(subject)\(shown) has an invalid host; \(example)"
            }
        } else if let colon = hostAndPort.lastIndex(of: ":") {
            host = hostAndPort[..<colon]
            port = hostAndPort[hostAndPort.index(after: colon)...]
        }
        if host.isEmpty { return "the \(subject)\(shown) has no host; \(example)" }
        if !host.hasPrefix("["),
            host.unicodeScalars.contains(where: { $0.value < 0x80 && !Self.isHostByte(UInt8($0.value)) })
        {
            return "the \(subject)\(shown) has an invalid host name; \(example)"
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber),
                let number = Int(port), (1...65535).contains(number)
            else {
                return "the \(subject)\(shown) has an invalid port; a port is a number from 1 to 65535"
            }
        }
        return nil
    }

    /// The common case, checked on bytes without allocating: an ASCII `http(s)://host/...`
    /// URL with no spaces or control characters. Anything else takes the careful path.
    static func isPlainValidURL(_ url: String) -> Bool {
        var utf8 = url.utf8.makeIterator()
        var scheme: [UInt8] = []
        scheme.reserveCapacity(8)
        while let byte = utf8.next() {
            scheme.append(byte | 0x20)
            if byte == UInt8(ascii: ":") { break }
            if scheme.count > 6 { return false }
        }
        guard scheme == Array("http:".utf8) || scheme == Array("https:".utf8),
            utf8.next() == UInt8(ascii: "/"), utf8.next() == UInt8(ascii: "/")
        else { return false }
        var hostLength = 0
        var inAuthority = true
        while let byte = utf8.next() {
            if byte <= 0x20 || byte >= 0x7F { return false }
            guard inAuthority else { continue }
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                inAuthority = false
            default:
                // A port, user info or IPv6 literal takes the careful path.
                guard isHostByte(byte), byte != UInt8(ascii: "%") else { return false }
                hostLength += 1
            }
        }
        return hostLength > 0
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "%"):
            true
        default:
            false
        }
    }
}
