/// An instance as the manifest wants it. Secret values are kept apart from the comparable
/// configuration: they travel to the server, and only their fingerprints are compared.
public struct DesiredInstance: Hashable, Sendable {
    public var name: InstanceName
    /// Non-secret managed fields.
    public var configuration: InstanceConfiguration
    /// Secret managed fields (`token`, `chatwoot.token`).
    public var secrets: [Field: Secret]
    public var lifecycle: Lifecycle

    public init(
        name: InstanceName, configuration: InstanceConfiguration = .init(), secrets: [Field: Secret] = [:],
        lifecycle: Lifecycle = .init()
    ) {
        self.name = name
        self.configuration = configuration
        self.secrets = secrets
        self.lifecycle = lifecycle
    }

    /// The comparable configuration: non-secret fields plus secret fingerprints.
    public func comparable(using fingerprinter: SecretFingerprinter) -> InstanceConfiguration {
        var result = configuration
        for (field, secret) in secrets { result[field] = .secret(fingerprinter.fingerprint(secret)) }
        return result
    }
}

/// The live connection state of an instance.
public enum ConnectionStatus: String, Sendable, Codable, CaseIterable {
    case open, connecting, close, unknown
}

/// An instance as the server reports it, normalised to the one model.
public struct ObservedInstance: Hashable, Sendable {
    public var name: InstanceName
    /// The server's own id (`instanceId` / `id`), when it reports one.
    public var serverID: String?
    public var status: ConnectionStatus
    /// Non-secret fields the server reported; "unset" shapes are already absent.
    public var configuration: InstanceConfiguration
    /// Secret values the server returned (v2 always returns tokens): compared by fingerprint,
    /// never stored.
    public var secrets: [Field: Secret]

    public init(
        name: InstanceName, serverID: String? = nil, status: ConnectionStatus = .unknown,
        configuration: InstanceConfiguration = .init(), secrets: [Field: Secret] = [:]
    ) {
        self.name = name
        self.serverID = serverID
        self.status = status
        self.configuration = configuration
        self.secrets = secrets
    }

    public func comparable(using fingerprinter: SecretFingerprinter) -> InstanceConfiguration {
        var result = configuration
        for (field, secret) in secrets { result[field] = .secret(fingerprinter.fingerprint(secret)) }
        return result
    }
}

/// An instance evoform owns, as the state last recorded it.
public struct ManagedInstance: Hashable, Sendable {
    public var name: InstanceName
    public var serverURL: String
    public var apiVersion: APIVersion
    public var serverID: String?
    /// The last applied configuration; secrets as fingerprints.
    public var configuration: InstanceConfiguration
    /// Seconds since 1970, as recorded by the state.
    public var createdAt: Double
    public var updatedAt: Double

    public init(
        name: InstanceName, serverURL: String, apiVersion: APIVersion, serverID: String? = nil,
        configuration: InstanceConfiguration = .init(), createdAt: Double = 0, updatedAt: Double = 0
    ) {
        self.name = name
        self.serverURL = serverURL
        self.apiVersion = apiVersion
        self.serverID = serverID
        self.configuration = configuration
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
