import Foundation

/// A WhatsApp connection state as the server reports it.
enum ConnectionState: String, Sendable {
    case open
    case connecting
    case close
}

/// The QR session of an instance that is pairing.
struct QRSession: Sendable, Equatable {
    var code: String
    var pairingCode: String?
    var count: Int
}

/// One instance as the imitated server stores it. Configuration sections are kept in the
/// version's own stored shape (v1: the saved document; v2: the database row), so the find
/// endpoints and tamper patches work on exactly what the real server would hold.
struct SimulatedInstance: Sendable {
    var name: String
    var id: String
    var token: String
    /// v2: the `integration` column. v1: unused (see `v1Integration`).
    var integration: String
    /// v1: the saved integration document `{integration, number, token}`; nil when never saved
    /// (a create that failed early), in which case reads answer the Baileys default.
    var v1Integration: WireObject?
    var number: String?
    var businessId: String?
    var state = ConnectionState.close
    var qr: QRSession?
    var ownerJid: String?
    var profileName: String?
    var webhook: WireObject?
    var chatwoot: WireObject?
    /// How many times the Chatwoot inbox bootstrap ran (an API inbox, the bot contact, a
    /// conversation with `init`): at a create with Chatwoot (v1 always, v2 unless
    /// `chatwootAutoCreate: false`) and at each `chatwoot/set` enabling it with auto-create.
    var chatwootBootstraps = 0
    var settings: WireObject?
    var createdAt: Date
    var updatedAt: Date
    /// v2: set once a delete (or a create's rollback) was accepted; the instance disappears
    /// when this deadline passes.
    var removalDeadline: ContinuousClock.Instant?
}
