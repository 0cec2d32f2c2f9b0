/// One step of a JSON path.
enum JSONPathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)
}

/// Renders paths the way messages show them: `instances[3].events[1]`, `server.url`,
/// `defaults["odd key"]`.
enum JSONPath {
    static func render(_ components: some Collection<JSONPathComponent>) -> String {
        var text = ""
        for component in components {
            append(component, to: &text)
        }
        return text
    }

    static func appending(_ component: JSONPathComponent, to path: String) -> String {
        var text = path
        append(component, to: &text)
        return text
    }

    static func appending(key: String, to path: String) -> String { appending(.key(key), to: path) }
    static func appending(index: Int, to path: String) -> String { appending(.index(index), to: path) }

    private static func append(_ component: JSONPathComponent, to text: inout String) {
        switch component {
        case .index(let index):
            text += "[\(index)]"
        case .key(let key):
            // A key longer than a message quotes is written quoted, which cuts it: a path must not
            // repeat a 10 MB key in full.
            if key.utf8.count <= MessageText.quoteLimit, isIdentifier(key) {
                if !text.isEmpty { text += "." }
                text += key
            } else {
                text += "[" + MessageText.quoted(key) + "]"
            }
        }
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard !key.isEmpty else { return false }
        for (offset, byte) in key.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"),
                UInt8(ascii: "$"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9") where offset > 0:
                continue
            default:
                return false
            }
        }
        return true
    }
}
