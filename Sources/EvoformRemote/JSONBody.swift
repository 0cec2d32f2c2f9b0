import EvoformCore
import Foundation

/// Request and response bodies as `JSONValue`.
enum JSONBody {
    /// Canonical bytes (sorted keys, compact): what is sent, and what golden files hold.
    static func encode(_ value: JSONValue) -> Data {
        Data(value.canonicalText.utf8)
    }

    /// Parses a response body. Empty (or whitespace-only) bodies are nil.
    static func decode(_ data: Data) throws -> JSONValue? {
        guard data.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return nil }
        return try JSONValue(parsing: data)
    }

    /// The messages of the Evolution API error envelope
    /// (`{"status", "error", "response": {"message": [..] | ".."}}`), or a short excerpt of a
    /// body that is not one.
    static func errorMessages(in data: Data) -> [String] {
        if let json = try? decode(data) {
            if let message = json["response"]?["message"] {
                if let text = message.stringValue { return [text] }
                if let items = message.arrayValue {
                    return items.map { $0.stringValue ?? $0.canonicalText }
                }
                return [message.canonicalText]
            }
            if let text = json["message"]?.stringValue { return [text] }
            if let text = json["error"]?.stringValue { return [text] }
            return []
        }
        let text = String(decoding: data.prefix(300), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? [] : [text.count > 200 ? String(text.prefix(200)) + "..." : text]
    }
}
