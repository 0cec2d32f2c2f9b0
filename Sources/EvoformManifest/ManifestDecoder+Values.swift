import EvoformCore

/// Reading single values: types, `${VAR}` interpolation, and the format rules.
extension ManifestDecoder {
    /// The outcome of reading a string that may hold `${VAR}` references.
    enum ResolvedString {
        case text(String, interpolated: Bool)
        /// Some variables are not set; nothing that needs the value can be checked.
        case missing([String])
        /// Not a string, or a malformed reference (already reported).
        case invalid
    }

    /// Reads one setting. Errors are recorded; the entry's value is nil when unusable.
    mutating func decodeEntry(
        _ field: ManifestField, node: JSONCNode, key: String, parentPath: String, memberKey: String
    ) -> SettingEntry {
        let entry = SettingEntry(
            field: field, key: key, location: location(of: node), parentPath: parentPath, memberKey: memberKey)
        if case .null = node.value {
            entry.isNull = true
            return entry
        }
        // Rendered here only for the kinds that can report a problem about the value itself.
        var path: String { entry.path }
        switch field.kind {
        case .bool:
            guard case .bool(let value) = node.value else {
                typeMismatch(node, path: path, expected: "a boolean (true or false)")
                break
            }
            entry.value = .bool(value)
        case .string:
            if case .text(let text, _) = resolveString(node, path: path, expected: "a string") {
                entry.value = .string(text)
            }
        case .url:
            if case .text(let text, let interpolated) = resolveString(node, path: path, expected: "a URL string") {
                let (subject, sample) =
                    field == .chatwootURL
                    ? ("Chatwoot URL", "https://app.chatwoot.com") : ("webhook URL", "https://hooks.example.com/evolution")
                if let problem = ValueRules.urlProblem(text, subject: subject, sample: sample, show: !interpolated) {
                    error(at: node, path: path, problem)
                } else {
                    entry.value = .string(text)
                }
            }
        case .secret:
            entry.value = decodeSecret(node, path: path, isInstanceToken: field == .token)
        case .instanceName:
            let resolved = resolveString(node, path: path, expected: "a string")
            switch resolved {
            case .text(let text, _):
                if let problem = ValueRules.instanceNameProblem(text) {
                    error(at: node, path: path, problem)
                } else {
                    entry.value = .string(text)
                }
            case .missing:
                if case .string(let raw) = node.value { unresolvedNames[path] = raw }
            case .invalid:
                break
            }
        case .integration:
            if case .text(let text, _) = resolveString(node, path: path, expected: "a string") {
                if text == ManifestField.supportedIntegration {
                    entry.value = .string(text)
                } else {
                    error(
                        at: node, path: path,
                        "integration \(MessageText.quoted(text)) is not supported; evoform manages WhatsApp Baileys instances: use \"WHATSAPP-BAILEYS\" or remove the key"
                    )
                }
            }
        case .accountID:
            entry.value = decodeAccountID(node, path: path)
        case .nonNegativeInteger:
            guard case .number(let number) = node.value else {
                typeMismatch(node, path: path, expected: "a whole number (0 or more)")
                break
            }
            if number < 0 || number != number.rounded() || number > 1e9 {
                error(
                    at: node, path: path,
                    "\(field.displayKey) must be a whole number of days, 0 or more; found \(JSONValue.number(number).canonicalText)")
            } else {
                entry.value = .integer(Int(number))
            }
        case .events:
            entry.value = decodeEvents(node, path: path)
        case .ignoreKeys:
            entry.value = decodeIgnoreKeys(node, path: path)
        }
        return entry
    }

    private mutating func decodeSecret(_ node: JSONCNode, path: @autoclosure () -> String, isInstanceToken: Bool) -> SettingValue? {
        guard case .text(let text, let interpolated) = resolveString(node, path: path(), expected: "a string") else {
            return nil
        }
        if !interpolated {
            warnLiteralSecret(at: node, path: path())
        }
        if isInstanceToken, let problem = ValueRules.tokenProblem(text, interpolated: interpolated) {
            error(at: node, path: path(), problem)
            return nil
        }
        if !isInstanceToken, text.isEmpty {
            error(at: node, path: path(), "the Chatwoot token is empty; give the access token of your Chatwoot user")
            return nil
        }
        return .secret(Secret(text))
    }

    mutating func warnLiteralSecret(at node: JSONCNode, path: @autoclosure () -> String) {
        warning(
            at: node, path: path(),
            "this secret is written in the file; use ${VAR} to read it from the environment, so the file is safe to commit")
    }

    private mutating func decodeAccountID(_ node: JSONCNode, path: @autoclosure () -> String) -> SettingValue? {
        let fix = "use the number of your Chatwoot account, e.g. 1"
        switch node.value {
        case .number(let number):
            guard number >= 1, number == number.rounded(), number < 9e15 else {
                error(
                    at: node, path: path(),
                    "chatwoot_account_id must be a whole number of 1 or more, not \(JSONValue.number(number).canonicalText); \(fix)")
                return nil
            }
            return .integer(Int(number))
        case .string:
            guard case .text(let text, let interpolated) = resolveString(node, path: path(), expected: "a string") else {
                return nil
            }
            guard let number = Int(text), number >= 1, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                let shown = interpolated ? "the value read from the environment" : MessageText.quoted(text)
                error(at: node, path: path(), "chatwoot_account_id must be a whole number of 1 or more, not \(shown); \(fix)")
                return nil
            }
            return .integer(number)
        default:
            typeMismatch(node, path: path(), expected: "a whole number or a string of digits")
            return nil
        }
    }

    private mutating func decodeEvents(_ node: JSONCNode, path: @autoclosure () -> String) -> SettingValue? {
        guard case .array(let elements) = node.value else {
            typeMismatch(node, path: path(), expected: "an array of event names such as [\"MESSAGES_UPSERT\"]")
            return nil
        }
        let known = knownEvents
        let listPath = path()
        var items: [EventItem] = []
        items.reserveCapacity(elements.count)
        var usable = true
        for (offset, element) in elements.enumerated() {
            let resolved = resolveString(
                element, path: JSONPath.appending(index: offset, to: listPath), expected: "an event name (a string)")
            guard case .text(let text, _) = resolved else {
                if case .invalid = resolved { usable = false }
                continue
            }
            let name = EventName(text)
            if !known.contains(name) {
                error(at: element, path: JSONPath.appending(index: offset, to: listPath), unknownEventMessage(text))
                usable = false
            } else if let first = items.first(where: { $0.name == name }) {
                error(
                    at: element, path: JSONPath.appending(index: offset, to: listPath),
                    "event \(MessageText.quoted(text)) is listed twice (first at line \(first.location.line)); remove one")
            } else {
                items.append(EventItem(name: name, location: location(of: element), listPath: listPath, index: offset))
            }
        }
        return usable ? .events(items) : nil
    }

    private func unknownEventMessage(_ text: String) -> String {
        let name = EventName(text)
        if let fixed = apiVersion.fixed, EventCatalog.any.contains(name) {
            let other = fixed == .v1 ? "v2" : "v1"
            return
                "event \(MessageText.quoted(text)) is not known by Evolution API \(fixed.rawValue) (only \(other) has it); remove it, or set server.apiVersion to \"\(other)\""
        }
        if let suggestion = MessageText.suggestion(to: text, in: eventCandidates) {
            return "unknown event \(MessageText.quoted(text)); did you mean \(MessageText.quoted(suggestion))?"
        }
        return
            "unknown event \(MessageText.quoted(text)); event names are upper-case subscription names such as \"MESSAGES_UPSERT\" or \"CONNECTION_UPDATE\""
    }

    /// The names `events` may use: the fixed version's list, or both lists for `auto`.
    var knownEvents: Set<EventName> {
        switch apiVersion.fixed {
        case nil: EventCatalog.any
        case .v1: Self.knownByV1
        case .v2: Self.knownByV2
        }
    }

    private static let knownByV1 = EventCatalog.known(by: .v1)
    private static let knownByV2 = EventCatalog.known(by: .v2)

    /// The same names in catalogue order, for deterministic suggestions.
    var eventCandidates: [String] {
        if let fixed = apiVersion.fixed { return EventCatalog.all(for: fixed).map(\.rawValue) }
        return (EventCatalog.v2 + EventCatalog.v1.filter { !EventCatalog.v2.contains($0) }).map(\.rawValue)
    }

    private mutating func decodeIgnoreKeys(_ node: JSONCNode, path: @autoclosure () -> String) -> SettingValue? {
        guard case .array(let elements) = node.value else {
            typeMismatch(node, path: path(), expected: "an array of field names such as [\"webhook\", \"settings.msgCall\"]")
            return nil
        }
        var fields: [Field] = []
        var usable = true
        for (offset, element) in elements.enumerated() {
            let elementPath = JSONPath.appending(index: offset, to: path())
            let resolved = resolveString(element, path: elementPath, expected: "a field name (a string)")
            guard case .text(let text, _) = resolved else {
                if case .invalid = resolved { usable = false }
                continue
            }
            if let resolvedFields = Lifecycle.fields(forIgnoreKey: text) {
                fields.append(contentsOf: resolvedFields)
                continue
            }
            usable = false
            var message = "unknown ignoreChanges entry \(MessageText.quoted(text))"
            let manifestSpelling = ManifestField.byFlatKey[text]?.target?.rawValue
                ?? ManifestField.webhookObjectKeys.first { "webhook." + $0.key == text }?.value.target?.rawValue
            if let suggestion = manifestSpelling ?? MessageText.suggestion(to: text, in: Lifecycle.ignoreKeys) {
                message += "; did you mean \(MessageText.quoted(suggestion))?"
            } else {
                message +=
                    "; use a group (\(FieldGroup.allCases.map(\.ignoreKey).joined(separator: ", "))) or a field such as \"webhook.url\""
            }
            error(at: element, path: elementPath, message)
        }
        return usable ? .ignoreKeys(fields) : nil
    }

    /// Reads a string value and expands its `${VAR}` references. A variable that is not set is
    /// an error when variables are required, a warning otherwise; either way `.missing`.
    mutating func resolveString(_ node: JSONCNode, path: @autoclosure () -> String, expected: String) -> ResolvedString {
        switch readString(node, path: path(), expected: expected) {
        case .missing(let names):
            reportMissing(names, at: node, path: path())
            return .missing(names)
        case let other:
            return other
        }
    }

    /// `resolveString` without reporting missing variables (the caller decides).
    mutating func readString(_ node: JSONCNode, path: @autoclosure () -> String, expected: String) -> ResolvedString {
        guard case .string(let raw) = node.value else {
            typeMismatch(node, path: path(), expected: expected)
            return .invalid
        }
        let expansion: Interpolation.Expansion
        do {
            expansion = try Interpolation.expand(raw, environment: environment)
        } catch {
            self.error(at: node, path: path(), error.message)
            return .invalid
        }
        if !expansion.missing.isEmpty { return .missing(expansion.missing) }
        return .text(expansion.text, interpolated: expansion.isInterpolated)
    }

    mutating func reportMissing(_ names: [String], at node: JSONCNode, path: @autoclosure () -> String) {
        var reported: Set<String> = []
        for name in names where reported.insert(name).inserted {
            let diagnostic = missingVariableDiagnostic(name, at: node, path: path())
            diagnostics.append(diagnostic)
        }
    }

    func missingVariableDiagnostic(_ name: String, at node: JSONCNode, path: @autoclosure () -> String) -> Diagnostic {
        if requireVariables {
            return Diagnostic(
                at: location(of: node), path: path(), severity: .error,
                "environment variable \(name) is not set; export it, or write ${\(name):-default} to give a default")
        }
        return Diagnostic(
            at: location(of: node), path: path(), severity: .warning,
            "environment variable \(name) is not set; checks that need its value were skipped (plan and apply will require it)"
        )
    }

    /// `expected a boolean (true or false), found a string`, with a hint for quoted literals.
    mutating func typeMismatch(_ node: JSONCNode, path: @autoclosure () -> String, expected: String) {
        var message = "expected \(expected), found \(node.typeDescription)"
        if case .string(let text) = node.value {
            if expected.hasPrefix("a boolean"), text == "true" || text == "false" {
                message += "; write \(text) without quotes"
            } else if expected.hasPrefix("a whole number"), Int(text) != nil {
                message += "; write \(text) without quotes"
            }
        }
        error(at: node, path: path(), message)
    }
}
