import EvoformCore
import Foundation

/// Turns a parsed document into a `Manifest`, collecting every problem on the way (never
/// stopping at the first). Structure: root -> `server` -> `defaults` -> each instance, whose
/// settings are merged over the defaults, checked against each other, then normalised.
struct ManifestDecoder {
    let file: String
    let environment: [String: String]
    let requireVariables: Bool
    var apiVersion: APIVersionChoice = .auto
    var diagnostics: [Diagnostic] = []
    /// How many entries `instances` holds, valid or not.
    var instanceCount = 0
    /// Instance names that could not be resolved (validate mode), by path: the raw text stands in.
    var unresolvedNames: [String: String] = [:]
    /// Whether the reader found repeated keys (then only the first of each counts).
    var documentHasDuplicateKeys = false

    static let rootKeys = ["$schema", "server", "defaults", "instances"]
    static let serverKeys = ["url", "apiKey", "apiVersion", "insecure", "caFile"]

    /// Create options of the real server that evoform does not manage: named as such rather than
    /// as typos.
    static let unmanagedKeys: Set<String> = [
        "number", "mobile", "businessId", "proxy", "proxyHost", "proxyPort", "proxyProtocol", "proxyUsername",
        "proxyPassword", "websocket", "websocket_enabled", "websocket_events", "rabbitmq", "rabbitmq_enabled",
        "rabbitmq_events", "sqs", "sqs_enabled", "sqs_events", "nats", "kafka", "pusher", "typebot", "typebot_url",
        "typebot_expire", "typebot_keyword_finish", "typebot_delay_message", "typebot_unknown_message",
        "typebot_listening_from_me", "chatwootOrganization", "chatwootLogo", "chatwootAutoCreate", "wavoipToken",
        "rabbitmqEnabled", "rabbitmqEvents", "sqsEnabled", "sqsEvents", "natsEnabled", "natsEvents",
    ]

    init(file: String, environment: [String: String], requireVariables: Bool) {
        self.file = file
        self.environment = environment
        self.requireVariables = requireVariables
    }

    // MARK: Root

    mutating func decode(_ root: JSONCNode, contents: Data) -> Manifest {
        var manifest = Manifest(path: file, contents: contents)
        guard case .object(let members) = root.value else {
            var message = "the manifest must be a JSON object such as {\"instances\": [...]}, found \(root.typeDescription)"
            if case .array = root.value { message += "; put the list of instances under \"instances\"" }
            error(at: root, path: "", message)
            return manifest
        }
        var firstMember: [String: JSONCMember] = [:]
        for member in members where firstMember[member.key] == nil {
            firstMember[member.key] = member
            if !Self.rootKeys.contains(member.key) {
                var message = "unknown key \(MessageText.quoted(member.key))"
                if let suggestion = MessageText.suggestion(to: member.key, in: Self.rootKeys) {
                    message += "; did you mean \(MessageText.quoted(suggestion))?"
                } else if ManifestField.instanceKeys.contains(member.key) {
                    message += "; instance settings belong in an entry of \"instances\": [{...}] (or in \"defaults\")"
                } else {
                    message += "; the top level holds only \"server\", \"defaults\" and \"instances\""
                }
                error(atKeyOf: member, path: JSONPath.appending(key: member.key, to: ""), message)
            }
        }
        if let server = firstMember["server"] {
            manifest.server = decodeServer(server.value)
        }
        apiVersion = manifest.server.apiVersion
        var defaults = Settings()
        if let member = firstMember["defaults"] {
            if case .object(let defaultMembers) = member.value.value {
                defaults = decodeSettings(defaultMembers, path: "defaults", isDefaults: true)
            } else if case .null = member.value.value {
            } else {
                typeMismatch(member.value, path: "defaults", expected: "an object of instance settings")
            }
        }
        guard let instancesMember = firstMember["instances"] else {
            error(
                at: root, path: "",
                "\"instances\" is missing; add \"instances\": [{\"instanceName\": \"...\"}] listing the instances to manage")
            return manifest
        }
        guard case .array(let entries) = instancesMember.value.value else {
            typeMismatch(instancesMember.value, path: "instances", expected: "an array of instances")
            return manifest
        }
        instanceCount = entries.count
        decodeInstances(entries, defaults: defaults, into: &manifest)
        return manifest
    }

    // MARK: Server

    mutating func decodeServer(_ node: JSONCNode) -> ServerSettings {
        var settings = ServerSettings()
        guard case .object(let members) = node.value else {
            if case .null = node.value { return settings }
            typeMismatch(node, path: "server", expected: "an object {\"url\", \"apiKey\", \"apiVersion\", \"insecure\", \"caFile\"}")
            return settings
        }
        var seen: Set<String> = []
        for member in members where seen.insert(member.key).inserted {
            let path = JSONPath.appending(key: member.key, to: "server")
            let value = member.value
            switch member.key {
            case "url":
                switch serverString(value, path: path, field: "url", settings: &settings) {
                case .text(let text, let interpolated):
                    if let problem = ValueRules.urlProblem(
                        text, subject: "server URL", sample: "https://evolution.example.com", show: !interpolated)
                    {
                        error(at: value, path: path, problem)
                    } else {
                        settings.url = text
                    }
                default:
                    break
                }
            case "apiKey":
                if case .text(let text, let interpolated) = serverString(
                    value, path: path, field: "apiKey", settings: &settings)
                {
                    if !interpolated { warnLiteralSecret(at: value, path: path) }
                    if text.isEmpty {
                        error(at: value, path: path, "the API key is empty; give the server's global API key")
                    } else {
                        settings.apiKey = Secret(text)
                    }
                }
            case "apiVersion":
                if case .text(let text, _) = resolveString(value, path: path, expected: "a string") {
                    if let choice = APIVersionChoice(rawValue: text) {
                        settings.apiVersion = choice
                    } else {
                        var message = "apiVersion must be \"auto\", \"v1\" or \"v2\", not \(MessageText.quoted(text))"
                        if let suggestion = MessageText.suggestion(to: text, in: APIVersionChoice.allCases.map(\.rawValue)) {
                            message += "; did you mean \(MessageText.quoted(suggestion))?"
                        }
                        error(at: value, path: path, message)
                    }
                }
            case "insecure":
                if case .bool(let flag) = value.value {
                    settings.insecure = flag
                } else if case .null = value.value {
                } else {
                    typeMismatch(value, path: path, expected: "a boolean (true or false)")
                }
            case "caFile":
                if case .null = value.value { continue }
                if case .text(let text, _) = resolveString(value, path: path, expected: "a string (the path of a PEM file)") {
                    if text.isEmpty {
                        error(
                            at: value, path: path,
                            "caFile is empty; give the path of a PEM file holding the server's CA certificates, or remove the key")
                    } else {
                        settings.caFile = text
                    }
                }
            default:
                unknownKey(member, path: path, candidates: Self.serverKeys, context: "the server block")
            }
        }
        return settings
    }

    /// Reads `server.url` / `server.apiKey`: a variable that is not set leaves the field nil and
    /// is recorded in `unresolved` (a flag may replace it); in `validate` it is also a warning.
    private mutating func serverString(
        _ node: JSONCNode, path: String, field: String, settings: inout ServerSettings
    ) -> ResolvedString {
        let resolved = readString(node, path: path, expected: "a string")
        if case .missing(let names) = resolved {
            let flag = field == "url" ? "--server URL" : "--api-key KEY"
            let message =
                "environment variable \(names[0]) is not set; export it, or pass \(flag)"
            settings.unresolved[field] = Diagnostic(at: location(of: node), path: path, message)
            if !requireVariables { reportMissing(names, at: node, path: path) }
        }
        return resolved
    }

    // MARK: Settings objects

    /// Reads the settings of an instance entry or of `defaults`, by meaning. Two spellings of one
    /// setting must agree.
    mutating func decodeSettings(_ members: [JSONCMember], path: String, isDefaults: Bool) -> Settings {
        var settings = Settings()
        for member in uniqueMembers(members) {
            switch member.key {
            case "webhook":
                decodeWebhook(member.value, parentPath: path, into: &settings)
            case "lifecycle":
                decodeNested(
                    member.value, path: JSONPath.appending(key: "lifecycle", to: path), prefix: "lifecycle",
                    keys: ManifestField.lifecycleKeys, expected: "an object {\"preventDestroy\", \"ignoreChanges\"}",
                    into: &settings)
            default:
                guard let field = ManifestField.byFlatKey[member.key] else {
                    unknownKey(
                        member, path: JSONPath.appending(key: member.key, to: path),
                        candidates: ManifestField.instanceKeys, context: isDefaults ? "defaults" : "an instance")
                    continue
                }
                if isDefaults, field == .instanceName {
                    error(
                        atKeyOf: member, path: JSONPath.appending(key: member.key, to: path),
                        "instanceName cannot be set in defaults: each instance names itself; remove it here")
                    continue
                }
                if isDefaults, field == .token {
                    error(
                        atKeyOf: member, path: JSONPath.appending(key: member.key, to: path),
                        "token cannot be set in defaults: tokens must be unique per instance; set \"token\" in each instance")
                    continue
                }
                store(
                    decodeEntry(field, node: member.value, key: member.key, parentPath: path, memberKey: member.key),
                    into: &settings)
            }
        }
        return settings
    }

    /// The members of an object, each key once (the reader already reported repeated keys; the
    /// first occurrence counts).
    private func uniqueMembers(_ members: [JSONCMember]) -> [JSONCMember] {
        guard documentHasDuplicateKeys else { return members }
        var seen: Set<String> = []
        return members.filter { seen.insert($0.key).inserted }
    }

    /// `webhook` is a URL string (the documented payload) or the v2 object.
    private mutating func decodeWebhook(_ node: JSONCNode, parentPath: String, into settings: inout Settings) {
        switch node.value {
        case .string:
            store(
                decodeEntry(.webhookURL, node: node, key: "webhook", parentPath: parentPath, memberKey: "webhook"),
                into: &settings)
        case .object:
            decodeNested(
                node, path: JSONPath.appending(key: "webhook", to: parentPath), prefix: "webhook",
                keys: ManifestField.webhookObjectKeys, expected: "", into: &settings)
        case .null:
            for field in [ManifestField.webhookURL, .webhookEnabled] {
                store(
                    decodeEntry(field, node: node, key: "webhook", parentPath: parentPath, memberKey: "webhook"),
                    into: &settings)
            }
        default:
            typeMismatch(
                node, path: JSONPath.appending(key: "webhook", to: parentPath),
                expected: "a URL string or an object {\"url\", \"enabled\", \"byEvents\", \"base64\", \"events\"}")
        }
    }

    private mutating func decodeNested(
        _ node: JSONCNode, path: String, prefix: String, keys: KeyValuePairs<String, ManifestField>, expected: String,
        into settings: inout Settings
    ) {
        guard case .object(let members) = node.value else {
            if case .null = node.value { return }
            typeMismatch(node, path: path, expected: expected)
            return
        }
        for member in uniqueMembers(members) {
            guard let field = keys.first(where: { $0.key == member.key })?.value else {
                unknownKey(
                    member, path: JSONPath.appending(key: member.key, to: path), candidates: keys.map(\.key),
                    context: "\"\(prefix)\"")
                continue
            }
            store(
                decodeEntry(
                    field, node: member.value, key: prefix + "." + member.key, parentPath: path, memberKey: member.key),
                into: &settings)
        }
    }

    /// Keeps the first spelling of a setting; a second spelling with a different value is an error.
    private mutating func store(_ entry: SettingEntry, into settings: inout Settings) {
        guard let existing = settings[entry.field] else {
            settings[entry.field] = entry
            return
        }
        let conflict: Bool
        if existing.isNull || entry.isNull {
            conflict = existing.isNull != entry.isNull
        } else if let lhs = existing.value, let rhs = entry.value {
            conflict = !lhs.means(rhs)
        } else {
            conflict = false
        }
        if conflict {
            error(
                at: entry.location, path: entry.path,
                "\(MessageText.quoted(entry.key)) and \(MessageText.quoted(existing.key)) (line \(existing.location.line)) are two spellings of one setting with different values; keep one of them"
            )
        }
    }

    // MARK: Instances

    private mutating func decodeInstances(_ entries: [JSONCNode], defaults: Settings, into manifest: inout Manifest) {
        var inherited = defaults
        inherited.markInherited()
        var firstNameUse: [InstanceName: (path: String, line: Int)] = [:]
        var firstTokenUse: [String: (path: String, line: Int)] = [:]
        manifest.instances.reserveCapacity(entries.count)
        for (offset, node) in entries.enumerated() {
            let path = JSONPath.appending(index: offset, to: "instances")
            guard case .object(let members) = node.value else {
                typeMismatch(node, path: path, expected: "an object describing an instance (with \"instanceName\")")
                continue
            }
            let own = decodeSettings(members, path: path, isDefaults: false)
            var settings = inherited
            own.forEachEntry { entry in
                settings[entry.field] = entry.isNull ? nil : entry
            }
            applyDependencies(to: &settings)

            guard let nameEntry = settings[.instanceName] else {
                error(
                    at: node, path: path,
                    "instanceName is required; add \"instanceName\": \"...\" (lowercase letters and digits)")
                continue
            }
            let nameText: String
            if case .string(let text)? = nameEntry.value {
                nameText = text
            } else if let raw = unresolvedNames[nameEntry.path] {
                nameText = raw
            } else {
                continue
            }
            let name = InstanceName(nameText)
            if nameEntry.value != nil {
                if let first = firstNameUse[name] {
                    error(
                        at: nameEntry.location, path: nameEntry.path,
                        "instanceName \(MessageText.quoted(nameText)) is already used by \(first.path) (line \(first.line)); names must be unique"
                    )
                    continue
                }
                firstNameUse[name] = (path, nameEntry.location.line)
            }
            if let tokenEntry = settings[.token], case .secret(let token)? = tokenEntry.value {
                if let first = firstTokenUse[token.revealed] {
                    error(
                        at: tokenEntry.location, path: tokenEntry.path,
                        "this token is already used by \(first.path) (line \(first.line)); each instance needs its own token"
                    )
                } else {
                    firstTokenUse[token.revealed] = (path, tokenEntry.location.line)
                }
            }
            let instance = normalise(settings, name: name)
            manifest.instances.append(instance)
            manifest.locations[name] = nameEntry.location
            if case .events(let items)? = settings[.events]?.value {
                for item in items {
                    manifest.eventReferences.append(EventReference(instance: name, item: item))
                }
            }
        }
    }

    /// The rules between settings. Settings that need another one (events need a webhook, Chatwoot
    /// options need the three essentials) are errors when the instance writes them itself, and
    /// are silently not inherited when they come from `defaults`.
    private mutating func applyDependencies(to settings: inout Settings) {
        if settings[.webhookURL] == nil {
            for field in ManifestField.webhookDependents {
                guard let entry = settings[field] else { continue }
                if entry.fromDefaults {
                    settings[field] = nil
                } else if field == .webhookEnabled {
                    if case .bool(true)? = entry.value {
                        error(
                            at: entry.location, path: entry.path,
                            "an enabled webhook needs a URL; add \"url\": \"https://...\" to the webhook object")
                    }
                } else {
                    error(
                        at: entry.location, path: entry.path,
                        "\(MessageText.quoted(entry.key)) needs a webhook; add \"webhook\": \"https://...\" to this instance, or remove \(MessageText.quoted(entry.key))"
                    )
                }
            }
        }

        let chatwootFields = ManifestField.chatwootFields
        var presentCount = 0
        var anyChatwoot = false
        for field in ManifestField.chatwootEssentials where settings[field] != nil { presentCount += 1 }
        for field in chatwootFields where settings[field] != nil { anyChatwoot = true }
        guard anyChatwoot, presentCount < ManifestField.chatwootEssentials.count else { return }
        let present = ManifestField.chatwootEssentials.filter { settings[$0] != nil }
        let own = chatwootFields.compactMap { settings[$0] }.filter { !$0.fromDefaults }
        if own.isEmpty {
            for field in chatwootFields { settings[field] = nil }
            return
        }
        if present.isEmpty {
            for entry in own {
                error(
                    at: entry.location, path: entry.path,
                    "\(MessageText.quoted(entry.key)) needs Chatwoot: add chatwoot_account_id, chatwoot_token and chatwoot_url to this instance, or remove \(MessageText.quoted(entry.key))"
                )
            }
            return
        }
        let first = own.min { $0.location < $1.location }!
        let missing = ManifestField.chatwootEssentials.filter { settings[$0] == nil }.map(\.displayKey)
        error(
            at: first.location, path: first.path,
            "Chatwoot is configured only in part: \(MessageText.list(missing)) \(missing.count == 1 ? "is" : "are") missing; give all three of chatwoot_account_id, chatwoot_token and chatwoot_url, or none"
        )
    }

    /// The desired instance: each setting given becomes its managed field; a setting left out is
    /// not managed.
    private func normalise(_ settings: Settings, name: InstanceName) -> DesiredInstance {
        var instance = DesiredInstance(name: name)
        var count = 0
        settings.forEachEntry { _ in count += 1 }
        instance.configuration.values.reserveCapacity(count + 2)
        settings.forEachEntry { entry in
            let field = entry.field
            guard let value = entry.value else { return }
            switch (field, value) {
            case (.preventDestroy, .bool(let flag)):
                instance.lifecycle.preventDestroy = flag
            case (.ignoreChanges, .ignoreKeys(let fields)):
                instance.lifecycle.ignoreChanges = Set(fields)
            case (_, .secret(let secret)):
                if let target = field.target { instance.secrets[target] = secret }
            case (_, .bool(let flag)):
                if let target = field.target { instance.configuration[target] = .bool(flag) }
            case (_, .integer(let number)):
                if let target = field.target { instance.configuration[target] = .integer(number) }
            case (_, .string(let text)):
                if let target = field.target { instance.configuration[target] = .string(text) }
            case (_, .events(let items)):
                instance.configuration[.webhookEvents] = .events(
                    EventSelection.from(items.map(\.name), version: apiVersion.fixed))
            case (_, .ignoreKeys):
                break
            }
        }
        if settings[.webhookURL] != nil {
            if instance.configuration[.webhookEnabled] == nil {
                instance.configuration[.webhookEnabled] = .bool(true)
            }
            if settings[.events] == nil, instance.configuration[.webhookEnabled] == .bool(true) {
                instance.configuration[.webhookEvents] = .events(.all)
            }
        }
        if ManifestField.chatwootEssentials.allSatisfy({ settings[$0] != nil }) {
            instance.configuration[.chatwootEnabled] = .bool(true)
        }
        return instance
    }

    // MARK: Diagnostics

    func location(of node: JSONCNode) -> SourceLocation {
        SourceLocation(file: file, line: node.line, column: node.column)
    }

    mutating func error(at node: JSONCNode, path: @autoclosure () -> String, _ message: String) {
        error(at: location(of: node), path: path(), message)
    }

    mutating func error(at location: SourceLocation, path: @autoclosure () -> String, _ message: String) {
        diagnostics.append(Diagnostic(at: location, path: path(), severity: .error, message))
    }

    mutating func error(atKeyOf member: JSONCMember, path: @autoclosure () -> String, _ message: String) {
        error(at: SourceLocation(file: file, line: member.keyLine, column: member.keyColumn), path: path(), message)
    }

    mutating func warning(at node: JSONCNode, path: @autoclosure () -> String, _ message: String) {
        diagnostics.append(Diagnostic(at: location(of: node), path: path(), severity: .warning, message))
    }

    mutating func unknownKey(_ member: JSONCMember, path: String, candidates: [String], context: String) {
        var message = "unknown key \(MessageText.quoted(member.key))"
        if let suggestion = MessageText.suggestion(to: member.key, in: candidates) {
            message += "; did you mean \(MessageText.quoted(suggestion))?"
        } else if Self.unmanagedKeys.contains(member.key) {
            message += "; evoform does not manage this server option: remove it"
        } else if candidates.count <= 6 {
            message += "; \(context) accepts only \(MessageText.list(candidates.map(MessageText.quoted)))"
        } else {
            message += "; remove it (\(context) accepts the settings of the Evolution API create payload)"
        }
        error(atKeyOf: member, path: path, message)
    }
}
