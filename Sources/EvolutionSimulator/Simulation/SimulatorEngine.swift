import Foundation

/// The imitated server: routes, guards, faults, the request log and every instance. The HTTP
/// layer calls `handle` on its I/O thread; the public API calls the `*Locked`-free methods from
/// any thread. One lock protects all state; handlers never block while holding it.
final class SimulatorEngine: @unchecked Sendable {
    let configuration: SimulatorConfiguration
    let version: SimulatedAPIVersion
    let router: APIRouter
    private let lock = NSLock()

    // Protected by `lock`.
    var instances: [String: SimulatedInstance] = [:]
    /// Instance names in creation order (the order listings use).
    var order: [String] = []
    /// Names whose v2 background removal is scheduled, so each request checks only these
    /// instead of scanning the whole fleet.
    var pendingRemovals: Set<String> = []
    var log: [SimulatedRequest] = []
    var counters: [String: Int] = [:]
    var faults: FaultSettings
    var overload = OverloadState()
    var random: SplitMix64
    /// The base URL (`SERVER_URL`), known once the port is bound.
    var serverURL = ""

    struct FaultSettings: Sendable, Equatable {
        var failRate: Double
        var loseResponseRate: Double
        var latencyMilliseconds: Int
    }

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.version = configuration.apiVersion
        self.router = APIRouter(version: configuration.apiVersion)
        self.faults = FaultSettings(
            failRate: configuration.failRate, loseResponseRate: configuration.loseResponseRate,
            latencyMilliseconds: configuration.latencyMilliseconds)
        self.random = SplitMix64(seed: configuration.seed)
    }

    /// Runs `body` with the state lock held.
    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - HTTP entry point (I/O thread)

    func handle(_ request: HTTPRequest) -> HTTPReply {
        let path = request.rawPath
        if path == "/__sim" || path.hasPrefix("/__sim/") {
            return .response(handleTestHook(request))
        }
        let now = Date().timeIntervalSince1970
        let (refusal, latency) = withLock { (admitLocked(request, now: now), faults.latencyMilliseconds) }
        if let refusal { return .response(refusal) }
        // The request is served at once and its answer held back: every answer leaves `latency`
        // after its request arrived, however many arrive together, as long as the work fits in
        // that time (serving after the delay queued a burst's work behind the deadline). The
        // effect on the state is visible from the arrival, as on a server whose answer then takes
        // `latency` to travel back. The request counts as in flight until its answer leaves.
        let reply = serve(request)
        if latency > 0 {
            return .deferred(milliseconds: latency) { [self] in
                withLock { finishLocked() }
                return reply
            }
        }
        withLock { finishLocked() }
        return reply
    }

    private func serve(_ request: HTTPRequest) -> HTTPReply {
        withLock { serveLocked(request) }
    }

    private func serveLocked(_ request: HTTPRequest) -> HTTPReply {
        purgeExpiredRemovals()
        let isMutating = !["GET", "HEAD", "OPTIONS"].contains(request.method)
        var entry = SimulatedRequest(
            method: request.method, path: String(request.rawPath), query: String(request.rawQuery), status: 0,
            instance: nil, isMutating: isMutating)

        let match: RouteMatch?
        var outcome: APIOutcome
        var fault: SimulatedFault?
        do {
            // Express parses the body before routing: a malformed body is a 400 on any path.
            let body = try parseBody(request)
            do {
                match = try router.match(method: request.method, rawPath: request.rawPath)
            } catch .undecodableParameter(let raw) {
                throw APIFailure.javaScriptError("Failed to decode param '\(raw)'", status: 400)
            }
            guard let match else {
                throw APIFailure.unknownRoute(method: request.method, target: request.target)
            }
            entry.route = match.route.name
            entry.instance = instanceForLog(match: match, body: body, request: request)
            if isMutating || configuration.faultsAffectReads {
                if random.chance(faults.failRate) {
                    fault = .failed
                    throw APIFailure.internalServerError("Simulated failure (evoform sim --fail-rate)")
                }
                if random.chance(faults.loseResponseRate) { fault = .responseLost }
            }
            let context = RequestContext(
                request: request, match: match, body: body, apiKey: request.headers["apikey"])
            outcome = try dispatch(context)
        } catch let failure as APIFailure {
            outcome = APIOutcome(status: failure.status, body: failure.body)
        } catch {
            outcome = APIOutcome(status: 500, body: APIFailure.javaScriptError("\(error)").body)
        }
        entry.status = outcome.status
        entry.fault = fault
        log.append(entry)
        if log.count > configuration.requestLogLimit {
            log.removeFirst(max(1, configuration.requestLogLimit / 10))
        }
        counters[entry.route ?? "unmatched", default: 0] += 1
        if fault == .responseLost { return .closeWithoutResponse }
        var response: HTTPResponse
        if let body = outcome.body {
            response = .json(outcome.status, body)
        } else {
            response = HTTPResponse(status: outcome.status, headers: [("Content-Type", "application/json; charset=utf-8")])
        }
        if request.method == "HEAD" { response.omitsBody = true }
        if outcome.holdMilliseconds > 0 {
            let held = response
            return .deferred(milliseconds: outcome.holdMilliseconds) { .response(held) }
        }
        return .response(response)
    }

    private func instanceForLog(match: RouteMatch, body: WireObject, request: HTTPRequest) -> String? {
        if let name = match.instanceName { return name }
        switch match.route.endpoint {
        case .create: return body["instanceName"]?.stringValue
        case .fetchInstances: return request.query("instanceName")
        default: return nil
        }
    }

    /// The request body as the real server's body parsers leave it: parsed JSON for
    /// `application/json`, flat strings for a form, `{}` for anything else.
    private func parseBody(_ request: HTTPRequest) throws -> WireObject {
        let contentType = request.headers["content-type"]?.lowercased() ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingWhitespace() } ?? ""
        if mediaType == "application/json" {
            guard !request.body.isEmpty else { return WireObject() }
            // body-parser's strict mode: only an object or an array is accepted.
            let firstByte = request.body.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            let parsed: WireJSON
            do {
                parsed = try WireJSONParser.parse(request.body, reportsLineAndColumn: version == .v2)
            } catch {
                throw APIFailure.javaScriptError(error.message, status: 400)
            }
            guard firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[") else {
                let text = String(decoding: request.body, as: UTF8.self)
                let character = text.first { !$0.isWhitespace }.map(String.init) ?? ""
                throw APIFailure.javaScriptError("Unexpected token '\(character)', \"\(text)\" is not valid JSON", status: 400)
            }
            return parsed.objectValue ?? WireObject()
        }
        if mediaType == "application/x-www-form-urlencoded" {
            var object = WireObject()
            let text = String(decoding: request.body, as: UTF8.self)
            for pair in text.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = PercentDecoding.decode(parts[0], plusAsSpace: true) ?? String(parts[0])
                let value = parts.count > 1 ? (PercentDecoding.decode(parts[1], plusAsSpace: true) ?? "") : ""
                if object[name] == nil { object[name] = .string(value) }
            }
            return object
        }
        return WireObject()
    }

    // MARK: - Dispatch and guards

    /// Everything an endpoint needs about its request.
    struct RequestContext {
        var request: HTTPRequest
        var match: RouteMatch
        var body: WireObject
        var apiKey: String?

        var instanceName: String { match.instanceName ?? "" }
    }

    private func dispatch(_ context: RequestContext) throws -> APIOutcome {
        let endpoint = context.match.route.endpoint
        if endpoint == .root { return root(context) }
        try runGuards(context)
        switch (version, endpoint) {
        case (_, .root): return root(context)
        case (.v2, .verifyCredentials): return APIOutcome(status: 200, body: ["status": 200, "message": "Credentials are valid"])
        case (.v1, .verifyCredentials): throw APIFailure.unknownRoute(method: "POST", target: context.request.target)
        case (.v1, .create): return try v1Create(context)
        case (.v2, .create): return try v2Create(context)
        case (.v1, .fetchInstances): return try v1FetchInstances(context)
        case (.v2, .fetchInstances): return try v2FetchInstances(context)
        case (_, .connectionState): return APIOutcome(status: 200, body: connectionStateBody(context.instanceName))
        case (.v1, .connect): return v1Connect(context)
        case (.v2, .connect): return v2Connect(context)
        case (.v1, .restart): return APIOutcome(status: 200, body: connectionStateBody(context.instanceName))
        case (.v2, .restart): return v2Restart(context)
        case (_, .logout): return try logout(context)
        case (.v1, .delete): return try v1Delete(context)
        case (.v2, .delete): return try v2Delete(context)
        case (.v1, .webhookSet): return try v1SetWebhook(context)
        case (.v2, .webhookSet): return try v2SetWebhook(context)
        case (.v1, .webhookFind): return v1FindWebhook(context)
        case (.v2, .webhookFind): return v2FindWebhook(context)
        case (.v1, .chatwootSet): return try v1SetChatwoot(context)
        case (.v2, .chatwootSet): return try v2SetChatwoot(context)
        case (.v1, .chatwootFind): return v1FindChatwoot(context)
        case (.v2, .chatwootFind): return v2FindChatwoot(context)
        case (.v1, .settingsSet): return try v1SetSettings(context)
        case (.v2, .settingsSet): return try v2SetSettings(context)
        case (.v1, .settingsFind): return v1FindSettings(context)
        case (.v2, .settingsFind): return v2FindSettings(context)
        }
    }

    /// `instanceExistsGuard`, `instanceLoggedGuard`, then the apikey guard, in that order.
    private func runGuards(_ context: RequestContext) throws {
        let endpoint = context.match.route.endpoint
        if let name = context.match.instanceName {
            guard instances[name] != nil else {
                if version == .v1 { try v1StorageLookup(name, forCreate: false) }
                throw APIFailure.notFound("The \"\(name)\" instance does not exist")
            }
        }
        if endpoint == .create {
            try checkNameIsFree(context.body["instanceName"])
        }
        guard let key = context.apiKey, !key.isEmpty else { throw APIFailure.unauthorized }
        if key == configuration.apiKey { return }
        if let name = context.match.instanceName {
            if instances[name]?.token == key { return }
        } else if endpoint == .fetchInstances {
            let tokenSeesInstances = version == .v2 || configuration.v1Storage == .mongo
            if tokenSeesInstances && instances.values.contains(where: { $0.token == key }) { return }
        }
        throw APIFailure.unauthorized
    }

    /// The create guard: 403 when the name is taken. Odd names behave as the storage does.
    private func checkNameIsFree(_ value: WireJSON?) throws {
        switch (version, value) {
        case (.v2, .string(let name)?):
            if instances[name] != nil { throw APIFailure.forbidden("This name \"\(name)\" is already in use.") }
        case (.v2, nil):
            // Prisma's findMany without a name filter finds every row.
            if !instances.isEmpty { throw APIFailure.forbidden("This name \"undefined\" is already in use.") }
        case (.v2, let other?):
            throw APIFailure.internalServerError(
                "PrismaClientValidationError: Argument `name`: Invalid value provided. Expected String, provided \(other.schemaTypeName).")
        case (.v1, .string(let name)?):
            if instances[name] != nil { throw APIFailure.forbidden("This name \"\(name)\" is already in use.") }
            try v1StorageLookup(name, forCreate: true)
        case (.v1, let other):
            if configuration.v1Storage == .mongo {
                throw APIFailure.internalServerError("MongoInvalidArgumentError: Collection name must be a String")
            }
            let received = other == nil ? "undefined" : "type \(other!.schemaTypeName)"
            throw APIFailure.internalServerError(
                "TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string. Received \(received)")
        }
    }

    /// What 1.8.2's `getInstance` does for a name that is not in memory, before answering
    /// "not found": MongoDB refuses some collection names (500), and in file mode names that
    /// resolve to an existing directory (`""`, `.`, `..`) count as existing (403 on create).
    private func v1StorageLookup(_ name: String, forCreate: Bool) throws {
        switch configuration.v1Storage {
        case .mongo:
            // mongodb driver 4.x `checkCollectionName`.
            let problem: String? =
                if name.isEmpty || name.contains("..") {
                    "Collection names cannot be empty"
                } else if name.contains("$") {
                    "Collection names must not contain '$'"
                } else if name.hasPrefix(".") || name.hasSuffix(".") {
                    "Collection names must not start or end with '.'"
                } else if name.contains("\u{0}") {
                    "Collection names cannot contain a null character"
                } else {
                    nil
                }
            if let problem { throw APIFailure.internalServerError("MongoInvalidArgumentError: \(problem)") }
        case .files:
            if forCreate && ["", ".", ".."].contains(name) { throw APIFailure.forbidden("This name \"\(name)\" is already in use.") }
        }
    }

    // MARK: - Shared endpoints

    private func root(_ context: RequestContext) -> APIOutcome {
        // Express's `req.protocol`: https when the server itself terminates TLS.
        let origin = (configuration.tlsCertificateFile == nil ? "http://" : "https://") + (context.request.headers["host"] ?? "127.0.0.1")
        switch version {
        case .v1:
            return APIOutcome(
                status: 200,
                body: [
                    "status": 200, "message": "Welcome to the Evolution API, it is working!", "version": "1.8.2",
                    "swagger": .string("\(origin)/docs"), "manager": .string("\(origin)/manager"),
                    "documentation": "https://doc.evolution-api.com",
                ])
        case .v2:
            return APIOutcome(
                status: 200,
                body: [
                    "status": 200, "message": "Welcome to the Evolution API, it is working!", "version": "2.3.6",
                    "clientName": "evolution", "manager": .string("\(origin)/manager"),
                    "documentation": "https://doc.evolution-api.com", "whatsappWebVersion": "2.3000.1027934751",
                ])
        }
    }

    func connectionStateBody(_ name: String) -> WireJSON {
        var instance = WireObject([("instanceName", .string(name))])
        if let state = instances[name]?.state { instance["state"] = .string(state.rawValue) }
        return ["instance": .object(instance)]
    }

    /// `logout`: the same in both versions.
    private func logout(_ context: RequestContext) throws -> APIOutcome {
        let name = context.instanceName
        guard let instance = instances[name], instance.state != .close else {
            throw APIFailure.badRequest("The \"\(name)\" instance is not connected")
        }
        disconnect(name)
        return APIOutcome(
            status: 200, body: ["status": "SUCCESS", "error": false, "response": ["message": "Instance logged out"]])
    }

    static let deletedBody: WireJSON = ["status": "SUCCESS", "error": false, "response": ["message": "Instance deleted"]]

    // MARK: - State helpers

    /// Puts the instance in `close`, ending any QR session.
    func disconnect(_ name: String) {
        instances[name]?.state = .close
        instances[name]?.qr = nil
        instances[name]?.ownerJid = nil
        instances[name]?.profileName = nil
        instances[name]?.updatedAt = Date()
    }

    /// Starts pairing (state `connecting`) or, when already pairing, issues the next QR code.
    /// Returns the QR object the server answers with.
    func startOrRefreshPairing(_ name: String, number: String?) -> WireJSON {
        guard var instance = instances[name] else { return ["count": 0] }
        let count = instance.state == .connecting ? (instance.qr?.count ?? 0) + 1 : 1
        let pairing = number.flatMap { $0.isEmpty ? nil : random.string(8, from: "123456789ABCDEFGHJKLMNPQRSTVWXYZ") }
        let session = QRSession(code: makeQRCodeText(), pairingCode: pairing ?? instance.qr?.pairingCode, count: count)
        instance.state = .connecting
        instance.qr = session
        instance.updatedAt = Date()
        instances[name] = instance
        return qrBody(session)
    }

    func qrBody(_ session: QRSession?) -> WireJSON {
        guard let session else { return ["count": 0] }
        return [
            "pairingCode": .string(orNull: session.pairingCode), "code": .string(session.code),
            "base64": .string(QRCodeImage.dataURL(for: session.code)), "count": .number(Double(session.count)),
        ]
    }

    /// A string shaped like a Baileys QR payload: `2@<ref>,<noise key>,<identity key>,<adv secret>`.
    private func makeQRCodeText() -> String {
        let base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let reference = random.string(88, from: base64)
        let keys = (0..<3).map { _ in random.string(43, from: base64) + "=" }
        return "2@" + reference + "," + keys.joined(separator: ",")
    }

    /// Adds a new instance record in creation order.
    func insert(_ instance: SimulatedInstance) {
        if instances[instance.name] == nil { order.append(instance.name) }
        instances[instance.name] = instance
    }

    func remove(_ name: String) {
        instances[name] = nil
        pendingRemovals.remove(name)
        order.removeAll { $0 == name }
    }

    /// v2's background removal: immediate without a lag, else at the deadline.
    func scheduleRemoval(_ name: String) {
        guard instances[name] != nil else { return }
        if configuration.deleteLagMilliseconds <= 0 {
            remove(name)
            return
        }
        if instances[name]?.removalDeadline == nil {
            instances[name]?.removalDeadline = .now + .milliseconds(configuration.deleteLagMilliseconds)
            pendingRemovals.insert(name)
        }
    }

    /// Drops instances whose background removal has finished.
    func purgeExpiredRemovals() {
        guard !pendingRemovals.isEmpty else { return }
        let now = ContinuousClock.now
        for name in pendingRemovals {
            guard let deadline = instances[name]?.removalDeadline else {
                pendingRemovals.remove(name)
                continue
            }
            if deadline <= now { remove(name) }
        }
    }

    /// Instances in creation order.
    var orderedInstances: [SimulatedInstance] { order.compactMap { instances[$0] } }

    func newInstance(name: String, token: String?, integration: String) -> SimulatedInstance {
        let now = Date()
        return SimulatedInstance(
            name: name, id: random.uuid(), token: token ?? random.uuid().uppercased(), integration: integration,
            createdAt: now, updatedAt: now)
    }

    static func timestamp(_ date: Date) -> WireJSON {
        .string(timestampFormatter.string(from: date))
    }

    private nonisolated(unsafe) static let timestampFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    /// `SERVER_URL/chatwoot/webhook/<encoded name>`.
    func chatwootWebhookURL(_ name: String) -> String {
        "\(serverURL)/chatwoot/webhook/\(PercentDecoding.encodeComponent(name))"
    }

    /// The params-plus-query object the real server spreads into set responses.
    func instanceEcho(_ context: RequestContext) -> WireObject {
        var object = WireObject([("instanceName", .string(context.instanceName))])
        for item in context.request.queryItems where object[item.name] == nil || item.name == "instanceName" {
            object[item.name] = .string(item.value)
        }
        return object
    }

    /// Validates `body` against `schema`; throws the 400 the real router answers.
    func validate(_ body: WireObject, _ schema: WireJSON) throws {
        let messages = SchemaValidator(schema: schema).messages(for: .object(body))
        if !messages.isEmpty { throw APIFailure.badRequest(messages) }
    }
}
