/// A webhook event subscription name such as `MESSAGES_UPSERT`. An open set: each server version
/// knows its own list (see `EventCatalog`).
public struct EventName: StringIdentifier {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
}

/// The per-instance subscription names each server version accepts, in the order the server
/// stores them when asked for "all events" (`events: []`).
public enum EventCatalog {
    public static let v1: [EventName] = [
        "APPLICATION_STARTUP", "QRCODE_UPDATED", "MESSAGES_SET", "MESSAGES_UPSERT", "MESSAGES_UPDATE",
        "MESSAGES_DELETE", "SEND_MESSAGE", "CONTACTS_SET", "CONTACTS_UPSERT", "CONTACTS_UPDATE",
        "PRESENCE_UPDATE", "CHATS_SET", "CHATS_UPSERT", "CHATS_UPDATE", "CHATS_DELETE", "GROUPS_UPSERT",
        "GROUP_UPDATE", "GROUP_PARTICIPANTS_UPDATE", "CONNECTION_UPDATE", "LABELS_EDIT",
        "LABELS_ASSOCIATION", "CALL", "NEW_JWT_TOKEN", "TYPEBOT_START", "TYPEBOT_CHANGE_STATUS",
        "CHAMA_AI_ACTION",
    ]

    public static let v2: [EventName] = [
        "APPLICATION_STARTUP", "QRCODE_UPDATED", "MESSAGES_SET", "MESSAGES_UPSERT", "MESSAGES_EDITED",
        "MESSAGES_UPDATE", "MESSAGES_DELETE", "SEND_MESSAGE", "SEND_MESSAGE_UPDATE", "CONTACTS_SET",
        "CONTACTS_UPSERT", "CONTACTS_UPDATE", "PRESENCE_UPDATE", "CHATS_SET", "CHATS_UPSERT",
        "CHATS_UPDATE", "CHATS_DELETE", "GROUPS_UPSERT", "GROUP_UPDATE", "GROUP_PARTICIPANTS_UPDATE",
        "CONNECTION_UPDATE", "LABELS_EDIT", "LABELS_ASSOCIATION", "CALL", "TYPEBOT_START",
        "TYPEBOT_CHANGE_STATUS", "REMOVE_INSTANCE", "LOGOUT_INSTANCE", "INSTANCE_CREATE",
        "INSTANCE_DELETE", "STATUS_INSTANCE",
    ]

    /// Every name either version knows: what a manifest may use before the version is known.
    public static let any: Set<EventName> = Set(v1).union(v2)

    /// The full list for one version.
    public static func all(for version: APIVersion) -> [EventName] {
        switch version {
        case .v1: v1
        case .v2: v2
        }
    }

    /// The names one version knows, for validation.
    public static func known(by version: APIVersion?) -> Set<EventName> {
        guard let version else { return any }
        return Set(all(for: version))
    }
}

/// A webhook's event subscription, compared as a set. `all` is what both versions store for
/// `events: []`; a list naming every event of the version normalises to `all` too.
public enum EventSelection: Hashable, Sendable {
    case all
    case only(Set<EventName>)

    /// `[]` and the version's full list both mean "all events"; anything else is the set given.
    public static func from(_ names: [EventName], version: APIVersion?) -> EventSelection {
        if names.isEmpty { return .all }
        let set = Set(names)
        // Counts first: building the version's full set for every comparison was a tenth of a
        // large plan's time, and a selection rarely names every event.
        if let version, set.count == EventCatalog.all(for: version).count, set == Set(EventCatalog.all(for: version)) {
            return .all
        }
        return .only(set)
    }

    /// The same selection once the server version is known.
    public func normalized(for version: APIVersion) -> EventSelection {
        switch self {
        case .all: .all
        case .only(let names): EventSelection.from(Array(names), version: version)
        }
    }

    /// The list to send: `[]` for all (the server expands it), else sorted names.
    public var wireList: [EventName] {
        switch self {
        case .all: []
        case .only(let names): names.sorted()
        }
    }
}
