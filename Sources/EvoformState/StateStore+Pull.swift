import EvoformCore

extension ManagedInstance {
    /// The record as `state pull` and `state show --json` print it: secrets only as fingerprints.
    public var stateJSON: JSONValue {
        .object([
            "name": .string(name.rawValue),
            "serverUrl": .string(serverURL),
            "apiVersion": .string(apiVersion.rawValue),
            "serverId": serverID.map { .string($0) } ?? .null,
            "configuration": configuration.json,
            "createdAt": .string(StateTime.iso8601(secondsSince1970: createdAt)),
            "updatedAt": .string(StateTime.iso8601(secondsSince1970: updatedAt)),
        ])
    }
}

extension JournalEntry {
    /// The entry as `state pull` prints it.
    public var stateJSON: JSONValue {
        var object: [String: JSONValue] = [
            "id": .number(Double(id.rawValue)),
            "instance": .string(instance.rawValue),
            "action": .string(action.rawValue),
            "requestFingerprint": .string(requestFingerprint),
            "status": .string(status.keyword),
            "startedAt": .string(StateTime.iso8601(secondsSince1970: startedAt)),
            "finishedAt": finishedAt.map { .string(StateTime.iso8601(secondsSince1970: $0)) } ?? .null,
        ]
        if let detail { object["detail"] = detail }
        switch status {
        case .failed(let code, let message):
            object["httpStatus"] = code.map { .number(Double($0)) } ?? .null
            object["message"] = .string(message)
        case .resolved(let resolution):
            object["resolution"] = .string(resolution)
        case .intent, .done:
            break
        }
        return .object(object)
    }
}

extension ApplyRecord {
    /// The row as `state pull` prints it.
    public var stateJSON: JSONValue {
        .object([
            "serial": .number(Double(serial)),
            "appliedAt": .string(StateTime.iso8601(secondsSince1970: appliedAt)),
            "user": .string(user),
            "summary": summary,
        ])
    }
}

extension StateStore {
    /// The whole state as JSON: lineage, serial, instances, journal and history. Secrets appear
    /// only as fingerprints; the salt is left out (with it, fingerprints could be brute-forced).
    public func pull() throws(StateError) -> JSONValue {
        let instances = try instances()
        let journal = try journalEntries()
        let history = try history()
        return .object([
            "schemaVersion": .number(Double(StateSchema.currentVersion)),
            "lineage": .string(lineage),
            "serial": .number(Double(try readSerial())),
            "instances": .array(instances.map(\.stateJSON)),
            "journal": .array(journal.map(\.stateJSON)),
            "history": .array(history.map(\.stateJSON)),
        ])
    }
}
