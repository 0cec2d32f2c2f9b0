import EvoformCore
import Foundation

extension JSONValue {
    /// Parses JSON text (as the state stores it); nil if it is not JSON.
    static func parse(_ text: String) -> JSONValue? {
        try? JSONValue(parsing: text)
    }
}
