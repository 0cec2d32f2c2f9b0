import EvoformCore

/// A JSON value read from a JSONC document, with the 1-based line and column where it starts.
public struct JSONCNode: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([JSONCNode])
        /// Members in file order. A document with duplicate keys is reported by the reader; every
        /// occurrence is kept here.
        case object([JSONCMember])
    }

    public var value: Value
    public var line: Int
    public var column: Int

    public init(_ value: Value, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// How a message names the type of this value: `a string`, `an array`, ...
    public var typeDescription: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The plain JSON value, positions dropped (for a repeated key the last occurrence wins).
    public var jsonValue: JSONValue {
        switch value {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value): .number(value)
        case .string(let value): .string(value)
        case .array(let items): .array(items.map(\.jsonValue))
        case .object(let members):
            .object(Dictionary(members.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { _, last in last }))
        }
    }
}

/// One `"key": value` member of an object, with the position of its key.
public struct JSONCMember: Sendable, Hashable {
    public var key: String
    public var keyLine: Int
    public var keyColumn: Int
    public var value: JSONCNode

    public init(key: String, keyLine: Int, keyColumn: Int, value: JSONCNode) {
        self.key = key
        self.keyLine = keyLine
        self.keyColumn = keyColumn
        self.value = value
    }
}

/// A problem the reader found, at a 1-based line and column, inside the JSON path `path`.
public struct JSONCProblem: Error, Sendable, Hashable {
    public var line: Int
    public var column: Int
    /// Where in the document, e.g. `instances[2].events`; empty at the top level.
    public var path: String
    public var message: String

    public init(line: Int, column: Int, path: String, message: String) {
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }
}

/// A parsed document: its value (nil when the text holds only whitespace and comments), and the
/// problems that did not stop reading (duplicate keys).
public struct JSONCDocument: Sendable, Hashable {
    public var root: JSONCNode?
    public var problems: [JSONCProblem]
}
