import EvoformCore
import Foundation

/// A small JSON Schema (2020-12) validator for the keywords `ManifestSchema` uses: `type`,
/// `properties`, `additionalProperties`, `required`, `enum`, `pattern`, `items`, `anyOf`, `oneOf`,
/// `allOf`, `$ref` (to `#/...` in the same document), `$defs`, `minimum`, `maximum`, `uniqueItems`.
/// Annotations (`$schema`, `title`, `description`) are skipped. Any other keyword is an error, so
/// the schema cannot start using one that this validator would silently ignore.
struct JSONSchemaValidator {
    let root: JSONValue

    static let annotations: Set<String> = ["$schema", "$defs", "title", "description"]
    static let assertions: Set<String> = [
        "type", "properties", "additionalProperties", "required", "enum", "pattern", "items", "anyOf", "oneOf",
        "allOf", "$ref", "minimum", "maximum", "uniqueItems",
    ]

    /// Every failure as `PATH: what`; empty when the instance is valid.
    func errors(of instance: JSONValue) -> [String] {
        var errors: [String] = []
        check(instance, against: root, path: "$", errors: &errors)
        return errors
    }

    func isValid(_ instance: JSONValue) -> Bool { errors(of: instance).isEmpty }

    private func check(_ instance: JSONValue, against schema: JSONValue, path: String, errors: inout [String]) {
        switch schema {
        case .bool(let allowed):
            if !allowed { errors.append("\(path): no value is allowed here") }
            return
        case .object(let keywords):
            for key in keywords.keys.sorted() {
                guard Self.annotations.contains(key) || Self.assertions.contains(key) else {
                    errors.append("\(path): the schema uses the unsupported keyword \(key)")
                    continue
                }
                check(keyword: key, value: keywords[key]!, schema: keywords, instance: instance, path: path, errors: &errors)
            }
        default:
            errors.append("\(path): a schema must be an object or a boolean")
        }
    }

    private func check(
        keyword: String, value: JSONValue, schema: [String: JSONValue], instance: JSONValue, path: String,
        errors: inout [String]
    ) {
        switch keyword {
        case "type":
            let names = value.arrayValue?.compactMap(\.stringValue) ?? [value.stringValue ?? ""]
            if !names.contains(where: { Self.has(type: $0, instance) }) {
                errors.append("\(path): expected \(names.joined(separator: " or ")), found \(Self.typeName(instance))")
            }
        case "enum":
            if !(value.arrayValue ?? []).contains(instance) {
                errors.append("\(path): \(instance.canonicalText) is not one of the allowed values")
            }
        case "pattern":
            guard case .string(let text) = instance, let pattern = value.stringValue else { return }
            guard let expression = try? NSRegularExpression(pattern: pattern) else {
                errors.append("\(path): the pattern \(pattern) does not compile")
                return
            }
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            if expression.firstMatch(in: text, range: range) == nil {
                errors.append("\(path): \(instance.canonicalText) does not match \(pattern)")
            }
        case "minimum":
            if case .number(let number) = instance, let minimum = Self.number(value), number < minimum {
                errors.append("\(path): \(number) is less than \(minimum)")
            }
        case "maximum":
            if case .number(let number) = instance, let maximum = Self.number(value), number > maximum {
                errors.append("\(path): \(number) is more than \(maximum)")
            }
        case "required":
            guard case .object(let members) = instance else { return }
            for name in value.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                errors.append("\(path): \(name) is required")
            }
        case "properties":
            guard case .object(let members) = instance, case .object(let properties) = value else { return }
            for name in members.keys.sorted() {
                if let property = properties[name] {
                    check(members[name]!, against: property, path: "\(path).\(name)", errors: &errors)
                }
            }
        case "additionalProperties":
            guard case .object(let members) = instance else { return }
            let declared = schema["properties"]?.objectValue ?? [:]
            for name in members.keys.sorted() where declared[name] == nil {
                var inner: [String] = []
                check(members[name]!, against: value, path: "\(path).\(name)", errors: &inner)
                if !inner.isEmpty { errors.append("\(path): \(name) is not allowed") }
            }
        case "items":
            guard case .array(let elements) = instance else { return }
            for (offset, element) in elements.enumerated() {
                check(element, against: value, path: "\(path)[\(offset)]", errors: &errors)
            }
        case "uniqueItems":
            guard value == .bool(true), case .array(let elements) = instance else { return }
            for (offset, element) in elements.enumerated() where elements[..<offset].contains(element) {
                errors.append("\(path)[\(offset)]: \(element.canonicalText) is a duplicate")
            }
        case "anyOf", "oneOf", "allOf":
            let branches = value.arrayValue ?? []
            let passing = branches.filter { branch in
                var inner: [String] = []
                check(instance, against: branch, path: path, errors: &inner)
                return inner.isEmpty
            }.count
            switch keyword {
            case "anyOf" where passing == 0: errors.append("\(path): matches none of the anyOf schemas")
            case "oneOf" where passing != 1: errors.append("\(path): matches \(passing) of the oneOf schemas, not exactly one")
            case "allOf" where passing != branches.count: errors.append("\(path): fails an allOf schema")
            default: break
            }
        case "$ref":
            guard let reference = value.stringValue, let target = resolve(reference) else {
                errors.append("\(path): cannot resolve \(value.canonicalText)")
                return
            }
            check(instance, against: target, path: path, errors: &errors)
        default:
            break
        }
    }

    /// `#/$defs/name` (any JSON pointer into this document).
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var node = root
        for token in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if case .array(let elements) = node, let offset = Int(key), elements.indices.contains(offset) {
                node = elements[offset]
            } else if let next = node[key] {
                node = next
            } else {
                return nil
            }
        }
        return node
    }

    static func has(type name: String, _ instance: JSONValue) -> Bool {
        switch (name, instance) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            true
        case ("integer", .number(let number)): number == number.rounded(.towardZero) && number.isFinite
        default: false
        }
    }

    static func typeName(_ instance: JSONValue) -> String {
        switch instance {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        if case .number(let number) = value { return number }
        return nil
    }
}
