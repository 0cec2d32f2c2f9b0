/// The subset of the `jsonschema` npm package (1.4) that the real server's request schemas use,
/// producing the same messages in the same order: keywords are checked in schema key order, and
/// each message is `<property path> <message>` with the first `instance.` removed, or the failing
/// sub-schema's `description` when it has one (`abstract.router.ts` `dataValidate`).
struct SchemaValidator {
    let schema: WireJSON

    /// The messages for `instance`; empty when it is valid.
    func messages(for instance: WireJSON) -> [String] {
        var errors: [(path: String, message: String, schema: WireObject)] = []
        validate(instance, against: schema, path: "instance", errors: &errors)
        return errors.map { error in
            if let description = error.schema["description"]?.stringValue { return description }
            let stack = "\(error.path) \(error.message)"
            if let range = stack.range(of: "instance.") { return stack.replacingCharacters(in: range, with: "") }
            return stack
        }
    }

    /// Whether `instance` is valid against `schema`.
    static func isValid(_ instance: WireJSON?, against schema: WireJSON) -> Bool {
        var errors: [(path: String, message: String, schema: WireObject)] = []
        SchemaValidator(schema: schema).validate(instance, against: schema, path: "instance", errors: &errors)
        return errors.isEmpty
    }

    private func validate(
        _ instance: WireJSON?, against schema: WireJSON, path: String,
        errors: inout [(path: String, message: String, schema: WireObject)]
    ) {
        guard let object = schema.objectValue else { return }
        for entry in object.entries {
            switch entry.key {
            case "type":
                guard let instance else { continue }
                let types = entry.value.arrayValue?.compactMap(\.stringValue) ?? [entry.value.stringValue ?? ""]
                if !types.contains(where: { Self.matches(instance, type: $0) }) {
                    errors.append((path, "is not of a type(s) \(types.joined(separator: ","))", object))
                }
            case "enum":
                guard let instance, let values = entry.value.arrayValue else { continue }
                if !values.contains(instance) {
                    let list = values.map(Self.javaScriptString).joined(separator: ",")
                    errors.append((path, "is not one of enum values: \(list)", object))
                }
            case "pattern":
                guard case .string(let text)? = instance, let pattern = entry.value.stringValue else { continue }
                if !Self.matchesPattern(text, pattern) {
                    var quoted = ""
                    WireJSON.writeString(pattern, to: &quoted)
                    errors.append((path, "does not match pattern \(quoted)", object))
                }
            case "minLength":
                guard case .string(let text)? = instance, case .number(let minimum) = entry.value else { continue }
                if Double(text.utf16.count) < minimum {
                    errors.append((path, "does not meet minimum length of \(WireJSON.format(minimum))", object))
                }
            case "minItems":
                guard case .array(let values)? = instance, case .number(let minimum) = entry.value else { continue }
                if Double(values.count) < minimum {
                    errors.append((path, "does not meet minimum length of \(WireJSON.format(minimum))", object))
                }
            case "items":
                guard case .array(let values)? = instance else { continue }
                for (index, value) in values.enumerated() {
                    validate(value, against: entry.value, path: "\(path)[\(index)]", errors: &errors)
                }
            case "properties":
                guard case .object(let instanceObject)? = instance, let properties = entry.value.objectValue else {
                    continue
                }
                for property in properties.entries {
                    validate(
                        instanceObject[property.key], against: property.value,
                        path: Self.append(property.key, to: path), errors: &errors)
                }
            case "required":
                guard case .object(let instanceObject)? = instance, let names = entry.value.arrayValue else { continue }
                for name in names.compactMap(\.stringValue) where instanceObject[name] == nil {
                    var quoted = ""
                    WireJSON.writeString(name, to: &quoted)
                    errors.append((path, "requires property \(quoted)", object))
                }
            case "propertyNames":
                guard case .object(let instanceObject)? = instance else { continue }
                for key in instanceObject.keys {
                    validate(.string(key), against: entry.value, path: path, errors: &errors)
                }
            case "if":
                guard let instance else { continue }
                if Self.isValid(instance, against: entry.value), let then = object["then"] {
                    validate(instance, against: then, path: path, errors: &errors)
                } else if !Self.isValid(instance, against: entry.value), let otherwise = object["else"] {
                    validate(instance, against: otherwise, path: path, errors: &errors)
                }
            default:
                continue
            }
        }
    }

    private static func matches(_ value: WireJSON, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("array", .array), ("object", .object), ("null", .null): true
        case ("number", .number(let number)): number.isFinite
        case ("integer", .number(let number)): number.isFinite && number == number.rounded()
        case ("any", _): true
        default: false
        }
    }

    /// `String(value)` in JavaScript, for enum lists.
    private static func javaScriptString(_ value: WireJSON) -> String {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): WireJSON.format(number)
        case .null: "null"
        case .array(let values): values.map(javaScriptString).joined(separator: ",")
        case .object: "[object Object]"
        }
    }

    private static func append(_ property: String, to path: String) -> String {
        // Nearly every key is an ASCII identifier: checked on bytes, as Unicode properties are slow.
        if isASCIIIdentifier(property) { return "\(path).\(property)" }
        let isIdentifier = property.first.map { $0.isLetter || $0 == "_" || $0 == "$" } ?? false
            && property.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        if isIdentifier { return "\(path).\(property)" }
        var quoted = ""
        WireJSON.writeString(property, to: &quoted)
        return "\(path)[\(quoted)]"
    }

    private static func isASCIIIdentifier(_ text: String) -> Bool {
        var isFirst = true
        for byte in text.utf8 {
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x24
            let isDigit = byte >= 0x30 && byte <= 0x39
            guard isLetter || (!isFirst && isDigit) else { return false }
            isFirst = false
        }
        return !isFirst
    }

    /// The only pattern in these schemas is `^\d+[\.@\w-]+` (phone numbers); it is matched by
    /// hand: one or more digits, then one or more of `.`, `@`, word characters or `-` (the
    /// pattern is not anchored at the end).
    static func matchesPattern(_ text: String, _ pattern: String) -> Bool {
        guard pattern == #"^\d+[\.@\w-]+"# else { return true }
        let characters = Array(text)
        var index = 0
        while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
        guard index > 0 else { return false }
        // Backtracking: the class also accepts digits, so one digit may move to the second part.
        func isClassCharacter(_ character: Character) -> Bool {
            character == "." || character == "@" || character == "-" || character == "_"
                || (character.isASCII && (character.isLetter || character.isNumber))
        }
        if index < characters.count, isClassCharacter(characters[index]) { return true }
        return index >= 2
    }
}
