import EvoformApplier
import EvoformCore
import EvoformManifest
import EvoformPlanner
import EvoformRemote
import EvoformState
import Foundation

/// Everything a server-facing command works with, opened in one place: the manifest (secrets
/// required), the locked state, the client, and the server version. Commands stay thin.
final class FleetSession {
    let context: CommandContext
    let manifest: Manifest
    let store: StateStore
    let client: EvolutionClient
    let serverURL: String
    let parallelism: Int
    private(set) var apiVersion: APIVersion

    private init(
        context: CommandContext, manifest: Manifest, store: StateStore, client: EvolutionClient, serverURL: String,
        parallelism: Int, apiVersion: APIVersion
    ) {
        self.context = context
        self.manifest = manifest
        self.store = store
        self.client = client
        self.serverURL = serverURL
        self.parallelism = parallelism
        self.apiVersion = apiVersion
    }

    /// Options every session-opening command accepts.
    static let options: [OptionSpec] = CommonOptions.remote

    /// Loads the manifest, takes the state lock for `operation`, and prepares the client. The
    /// server is asked for its version only when `contactServer` is true (not for `--refresh=false`);
    /// `listsInstances`: the command reads the instance list next (everything but `qr`).
    static func open(
        _ arguments: ParsedArguments, in context: CommandContext, operation: String, contactServer: Bool,
        listsInstances: Bool = true
    ) async throws -> FleetSession {
        let manifest = try context.loadManifest(arguments, requireVariables: contactServer).manifest
        let connection = try ServerConnectionSettings.resolve(arguments, context: context, manifest: manifest, required: contactServer)
        let store = try context.openState(arguments, command: operation, operation: operation)
        let client = EvolutionClient(
            endpoint: connection.endpoint, observer: context.requestTracer(), environment: context.environment)
        // Without the server, the manifest's version, else the one recorded with the instances.
        var version = try manifest.server.apiVersion.fixed ?? (contactServer ? nil : store.firstRecordedAPIVersion()) ?? .v2
        if contactServer {
            // Planning starts with the instance list: with `auto` it goes out with the version
            // question (one round trip instead of two). Both answers are in before going on, so
            // no request is left in flight whatever happens next.
            let readAhead = listsInstances && manifest.server.apiVersion.fixed == nil
            async let listedAhead: Void = readAhead ? client.readInstanceListAhead() : ()
            let asked: Result<APIVersion, RemoteError>
            do throws(RemoteError) {
                asked = .success(try await client.apiVersion())
            } catch {
                asked = .failure(error)
            }
            await listedAhead
            version = try asked.get()
            let problems = manifest.eventDiagnostics(for: version)
            if !problems.isEmpty {
                store.close()
                throw ManifestError(path: manifest.path, errors: problems, instanceCount: manifest.instances.count)
            }
        }
        return FleetSession(
            context: context, manifest: manifest, store: store, client: client, serverURL: connection.displayURL,
            parallelism: try parallelism(arguments), apiVersion: version)
    }

    static func parallelism(_ arguments: ParsedArguments) throws -> Int {
        guard let text = arguments.value("parallelism") else { return 10 }
        guard let value = Int(text), value >= 1, value <= 256 else {
            throw UsageError("--parallelism takes a whole number from 1 to 256, not \"\(text)\"")
        }
        return value
    }

    func applier(emit: @escaping @Sendable (ApplyEvent) -> Void) -> Applier {
        Applier(
            server: client, journal: store,
            settings: ApplySettings(serverURL: serverURL, apiVersion: apiVersion, parallelism: parallelism), emit: emit)
    }

    /// Resolves what an interrupted run left open, so planning starts from the truth.
    func recover(emit: @escaping @Sendable (ApplyEvent) -> Void) async throws {
        try await applier(emit: emit).recover(desired: manifest.instances)
    }

    /// The groups to read back for every instance the manifest or the state manages.
    func observationRequest(desired: [DesiredInstance], managed: [ManagedInstance]) -> [InstanceName: Set<FieldGroup>] {
        var wanted: [InstanceName: Set<FieldGroup>] = [:]
        for instance in managed {
            wanted[instance.name, default: []].formUnion(instance.configuration.fields.map(\.group))
        }
        for instance in desired {
            wanted[instance.name, default: []].formUnion(instance.configuration.fields.map(\.group))
            wanted[instance.name, default: []].formUnion(instance.secrets.keys.map(\.group))
        }
        return wanted.mapValues { $0.intersection([.webhook, .chatwoot, .settings]) }
    }

    /// Observes (unless `refresh` is false) and plans.
    func plan(refresh: Bool, targets: Set<InstanceName>, desired: [DesiredInstance]? = nil) async throws
        -> (Plan, [InstanceName: ObservedInstance])
    {
        let desired = desired ?? manifest.instances
        let managed = try store.instances()
        var observed: [InstanceName: ObservedInstance]?
        if refresh {
            var wanted = observationRequest(desired: desired, managed: managed)
            if !targets.isEmpty { wanted = wanted.filter { targets.contains($0.key) } }
            observed = try await client.observe(wanted, parallelism: parallelism)
        }
        let plan = try Planner.plan(
            PlanInput(
                desired: desired, managed: managed, observed: observed, apiVersion: apiVersion,
                fingerprinter: store.fingerprinter, targets: targets))
        return (plan, observed ?? [:])
    }

    /// Pairing QR codes are written beside the state: `state/qrcodes/NAME.png`.
    var qrCodeDirectory: URL { store.url.deletingLastPathComponent().appendingPathComponent("qrcodes") }

    func close() { store.close() }
}

/// `--target NAME`, repeatable.
extension ParsedArguments {
    var targets: Set<InstanceName> { Set(all("target").map { InstanceName($0) }) }
}
