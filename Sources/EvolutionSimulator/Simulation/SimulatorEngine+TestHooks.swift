import Foundation

/// The test-only API under `/__sim/` and the state operations behind `EvolutionSimulator`'s
/// hooks. Never mixed with the imitated routes; requires the global key; never logged.
extension SimulatorEngine {
    // MARK: Operations (lock taken inside)

    func recordedRequests() -> [SimulatedRequest] { withLock { log } }

    func routeCounters() -> [String: Int] { withLock { counters } }

    func reset(instances removeInstances: Bool) {
        withLock {
            log.removeAll()
            counters.removeAll()
            overload.maxInFlight = overload.inFlight
            if removeInstances {
                instances.removeAll()
                order.removeAll()
                pendingRemovals.removeAll()
            }
        }
    }

    func chatwootBootstraps(of name: String) -> Int { withLock { instances[name]?.chatwootBootstraps ?? 0 } }

    func names() -> [String] {
        withLock {
            purgeExpiredRemovals()
            return order
        }
    }

    func setState(_ state: String, of name: String) throws(SimulatorError) {
        try withLock { () throws(SimulatorError) in
            purgeExpiredRemovals()
            guard let instance = instances[name] else { throw .unknownInstance(name) }
            switch ConnectionState(rawValue: state) {
            case .open?:
                let digits = instance.number.map { $0.filter(\.isNumber) }.flatMap { $0.isEmpty ? nil : $0 }
                    ?? "55119" + random.string(8, from: "0123456789")
                instances[name]?.state = .open
                instances[name]?.qr = nil
                instances[name]?.ownerJid = "\(digits)@s.whatsapp.net"
                instances[name]?.profileName = "Simulated \(name)"
                instances[name]?.updatedAt = Date()
            case .connecting?:
                _ = startOrRefreshPairing(name, number: nil)
            case .close?:
                disconnect(name)
            case nil:
                throw .invalidConnectionState(state)
            }
        }
    }

    /// Merges `patch` (a JSON object in the version's find shape) into a stored section, or with
    /// a JSON `null` removes the section as if it had never been set.
    func tamper(_ name: String, section: SimulatorSection, patch: WireJSON) throws(SimulatorError) {
        try withLock { () throws(SimulatorError) in
            purgeExpiredRemovals()
            guard instances[name] != nil else { throw .unknownInstance(name) }
            let merged: WireObject?
            switch patch {
            case .null:
                merged = nil
            case .object(let object):
                merged = (storedSection(section, of: name) ?? defaultSection(section, of: name)).merging(object)
            default:
                throw .invalidPatch("the patch must be a JSON object (or null to remove the section)")
            }
            switch section {
            case .webhook: instances[name]?.webhook = merged
            case .settings: instances[name]?.settings = merged
            case .chatwoot: instances[name]?.chatwoot = merged
            }
        }
    }

    private func storedSection(_ section: SimulatorSection, of name: String) -> WireObject? {
        switch section {
        case .webhook: instances[name]?.webhook
        case .settings: instances[name]?.settings
        case .chatwoot: instances[name]?.chatwoot
        }
    }

    /// What a section starts from when tampered before it was ever set.
    private func defaultSection(_ section: SimulatorSection, of name: String) -> WireObject {
        guard version == .v2 else { return WireObject() }
        let now = Self.timestamp(Date())
        let instanceId = WireJSON.string(instances[name]?.id ?? "")
        var row = WireObject([("id", .string(random.cuid()))])
        switch section {
        case .webhook:
            for (key, value) in [
                ("url", ""), ("headers", .null), ("enabled", true), ("events", []), ("webhookByEvents", false),
                ("webhookBase64", false),
            ] as [(String, WireJSON)] {
                row[key] = value
            }
        case .settings:
            for key in ["rejectCall", "groupsIgnore", "alwaysOnline", "readMessages", "readStatus", "syncFullHistory"] {
                row[key] = false
            }
            row["msgCall"] = ""
            row["wavoipToken"] = ""
        case .chatwoot:
            for (key, value) in [
                ("enabled", true), ("accountId", .null), ("token", .null), ("url", .null), ("nameInbox", .null),
                ("signMsg", false), ("signDelimiter", .null), ("number", .null), ("reopenConversation", false),
                ("conversationPending", false), ("mergeBrazilContacts", false), ("importContacts", false),
                ("importMessages", false), ("daysLimitImportMessages", .null), ("organization", .null), ("logo", .null),
                ("ignoreJids", .null),
            ] as [(String, WireJSON)] {
                row[key] = value
            }
        }
        row["createdAt"] = now
        row["updatedAt"] = now
        row["instanceId"] = instanceId
        return row
    }

    /// Creates an instance as a bare create would (default settings, no webhook or Chatwoot),
    /// without a request.
    func createOutOfBand(name: String, token: String?) throws(SimulatorError) {
        try withLock { () throws(SimulatorError) in
            purgeExpiredRemovals()
            guard instances[name] == nil else { throw .instanceExists(name) }
            var instance = newInstance(name: name, token: token, integration: "WHATSAPP-BAILEYS")
            switch version {
            case .v1:
                instance.settings = WireObject([
                    ("reject_call", false), ("msg_call", ""), ("groups_ignore", true), ("always_online", false),
                    ("read_messages", false), ("read_status", false), ("sync_full_history", false),
                ])
                var integration = WireObject()
                if let token { integration["token"] = .string(token) }
                instance.v1Integration = integration
                insert(instance)
            case .v2:
                insert(instance)
                try? storeV2Settings(
                    WireObject([
                        ("rejectCall", false), ("msgCall", ""), ("groupsIgnore", false), ("alwaysOnline", false),
                        ("readMessages", false), ("readStatus", false), ("syncFullHistory", false), ("wavoipToken", ""),
                    ]), for: name)
            }
        }
    }

    func deleteOutOfBand(name: String) throws(SimulatorError) {
        try withLock { () throws(SimulatorError) in
            guard instances[name] != nil else { throw .unknownInstance(name) }
            remove(name)
        }
    }

    func currentFaults() -> FaultSettings { withLock { faults } }

    func setFaults(_ settings: FaultSettings) { withLock { faults = settings } }

    // MARK: HTTP surface

    func handleTestHook(_ request: HTTPRequest) -> HTTPResponse {
        guard request.headers["apikey"] == configuration.apiKey else {
            return .json(401, ["error": "the /__sim/ API needs the global key in the apikey header"])
        }
        let segments = request.rawPath.split(separator: "/").dropFirst().map { PercentDecoding.decode($0) ?? String($0) }
        let body: WireJSON
        if request.body.isEmpty {
            body = .object(WireObject())
        } else {
            do {
                body = try WireJSONParser.parse(request.body)
            } catch {
                return .json(400, ["error": .string("invalid JSON body: \(error.message)")])
            }
        }
        do {
            return try routeTestHook(method: request.method, segments: segments, body: body, request: request)
        } catch {
            let status: Int
            switch error {
            case .unknownInstance: status = 404
            case .instanceExists: status = 409
            default: status = 400
            }
            return .json(status, ["error": .string(error.description)])
        }
    }

    private func routeTestHook(method: String, segments: [String], body: WireJSON, request: HTTPRequest) throws(SimulatorError)
        -> HTTPResponse
    {
        switch (method, segments) {
        case ("GET", ["requests"]):
            return .json(200, .array(recordedRequests().map(\.wireJSON)))
        case ("DELETE", ["requests"]):
            reset(instances: false)
            return .json(200, ["ok": true])
        case ("GET", ["counters"]):
            let counts = routeCounters()
            return .json(200, .object(WireObject(counts.keys.sorted().map { ($0, .number(Double(counts[$0]!))) })))
        case ("POST", ["reset"]):
            reset(instances: body["instances"]?.boolValue ?? false)
            return .json(200, ["ok": true])
        case ("GET", ["instances"]):
            return .json(200, .array(names().map { .string($0) }))
        case ("POST", ["instances"]):
            guard let name = body["instanceName"]?.stringValue else {
                throw .invalidPatch("the body needs \"instanceName\" (a string)")
            }
            try createOutOfBand(name: name, token: body["token"]?.stringValue)
            return .json(201, ["instanceName": .string(name)])
        case ("DELETE", let path) where path.count == 2 && path[0] == "instances":
            try deleteOutOfBand(name: path[1])
            return .json(200, ["ok": true])
        case ("PUT", let path) where path.count == 3 && path[0] == "instances" && path[2] == "state":
            guard let state = body["state"]?.stringValue else { throw .invalidConnectionState(JavaScript.string(body["state"])) }
            try setState(state, of: path[1])
            return .json(200, ["instanceName": .string(path[1]), "state": .string(state)])
        case ("PATCH", let path) where path.count == 3 && path[0] == "instances":
            guard let section = SimulatorSection(rawValue: path[2]) else {
                throw .invalidPatch("unknown section \"\(path[2])\"; use webhook, settings or chatwoot")
            }
            try tamper(path[1], section: section, patch: body)
            return .json(200, ["ok": true])
        case ("GET", ["faults"]):
            return .json(200, currentFaults().wireJSON)
        case ("PUT", ["faults"]):
            var settings = currentFaults()
            if case .number(let rate)? = body["failRate"] { settings.failRate = rate }
            if case .number(let rate)? = body["loseResponseRate"] { settings.loseResponseRate = rate }
            if case .number(let latency)? = body["latencyMs"] { settings.latencyMilliseconds = max(0, Int(latency)) }
            guard (0...1).contains(settings.failRate), (0...1).contains(settings.loseResponseRate) else {
                throw .invalidConfiguration("rates must be between 0 and 1")
            }
            setFaults(settings)
            return .json(200, settings.wireJSON)
        default:
            return .json(404, ["error": .string("no test hook \(method) \(request.rawPath)")])
        }
    }
}

extension SimulatedRequest {
    var wireJSON: WireJSON {
        var object = WireObject()
        object["method"] = .string(method)
        object["path"] = .string(path)
        object["query"] = .string(query)
        object["status"] = .number(Double(status))
        object["instance"] = .string(orNull: instance)
        object["isMutating"] = .bool(isMutating)
        object["route"] = .string(orNull: route)
        object["fault"] = .string(orNull: fault?.rawValue)
        return .object(object)
    }
}

extension SimulatorEngine.FaultSettings {
    var wireJSON: WireJSON {
        [
            "failRate": .number(failRate), "loseResponseRate": .number(loseResponseRate),
            "latencyMs": .number(Double(latencyMilliseconds)),
        ]
    }
}
