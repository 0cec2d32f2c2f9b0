import EvoformCore
import Foundation

/// What `GET /` says about the server.
public struct ServerInfo: Sendable, Hashable {
    /// The version string, e.g. `1.8.2` or `2.3.6`.
    public var version: String
    /// The dialect that version speaks (major 1 -> v1, 2 -> v2); nil for an unknown major.
    public var apiVersion: APIVersion?
    /// v2's `clientName` (the database partition this server lists).
    public var clientName: String?
    /// v2's `whatsappWebVersion`.
    public var whatsappWebVersion: String?
    /// The greeting, e.g. "Welcome to the Evolution API, it is working!".
    public var message: String?

    public init(
        version: String, apiVersion: APIVersion?, clientName: String? = nil, whatsappWebVersion: String? = nil,
        message: String? = nil
    ) {
        self.version = version
        self.apiVersion = apiVersion
        self.clientName = clientName
        self.whatsappWebVersion = whatsappWebVersion
        self.message = message
    }

    /// The dialect of a version string: its major number, 1 or 2.
    public static func apiVersion(of version: String) -> APIVersion? {
        var text = Substring(version.trimmingCharacters(in: .whitespaces))
        if text.first == "v" || text.first == "V" { text = text.dropFirst() }
        let major = text.prefix { $0.isNumber }
        switch Int(major) {
        case 1: return .v1
        case 2: return .v2
        default: return nil
        }
    }
}

/// One instance as `fetchInstances` lists it.
public struct InstanceSummary: Sendable, Hashable {
    public var name: InstanceName
    /// The server's id (`instanceId` in v1, `id` in v2).
    public var serverID: String?
    public var status: ConnectionStatus
    /// The instance token, when the server exposes it (v2 always; v1 with
    /// `AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true`).
    public var token: Secret?

    public init(name: InstanceName, serverID: String?, status: ConnectionStatus, token: Secret?) {
        self.name = name
        self.serverID = serverID
        self.status = status
        self.token = token
    }
}

/// A QR code (or pairing code) to link a phone, as create or connect returns it.
public struct QRCode: Sendable, Hashable {
    /// The raw QR payload (`2@...`), to render as text.
    public var code: String?
    /// The PNG image, decoded from the `data:image/png;base64,...` URL.
    public var pngData: Data?
    /// The 8-character pairing code, when a phone number was given.
    public var pairingCode: String?
    /// How many QR codes this session has produced (0: none yet).
    public var count: Int

    public init(code: String?, pngData: Data?, pairingCode: String?, count: Int) {
        self.code = code
        self.pngData = pngData
        self.pairingCode = pairingCode
        self.count = count
    }

    /// Whether there is anything to show.
    public var isEmpty: Bool { code == nil && pngData == nil && pairingCode == nil }
}

/// What a create did.
public struct CreatedInstance: Sendable, Hashable {
    public var serverID: String?
    public var qrCode: QRCode?
    /// The instance token: the one sent, or the one the server generated.
    public var token: Secret?
    /// What the server now holds for certain after this create (per version rules), as
    /// non-secret configuration; the applier records it.
    public var applied: InstanceConfiguration
    /// Groups the create could not store reliably on this version: the applier must `set` them
    /// next. Empty in the common case, so a create costs one request.
    public var pendingGroups: Set<FieldGroup>

    public init(
        serverID: String?, qrCode: QRCode?, token: Secret?, applied: InstanceConfiguration,
        pendingGroups: Set<FieldGroup>
    ) {
        self.serverID = serverID
        self.qrCode = qrCode
        self.token = token
        self.applied = applied
        self.pendingGroups = pendingGroups
    }
}
