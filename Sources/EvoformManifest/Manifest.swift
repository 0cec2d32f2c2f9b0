import EvoformCore
import Foundation

/// A manifest that was read, interpolated and validated: what the planner works from.
public struct Manifest: Sendable {
    /// The path as the user named the file (shown in messages).
    public var path: String
    /// The raw bytes, for the digest a saved plan records.
    public var contents: Data
    public var server: ServerSettings
    /// Every instance, in manifest order.
    public var instances: [DesiredInstance]
    /// Where each instance's `instanceName` value is written.
    public var locations: [InstanceName: SourceLocation]
    /// Every event name the instances subscribe to, with where it is written (for checks against
    /// a server version learned later).
    public var eventReferences: [EventReference]

    public init(
        path: String, contents: Data, server: ServerSettings = ServerSettings(), instances: [DesiredInstance] = [],
        locations: [InstanceName: SourceLocation] = [:], eventReferences: [EventReference] = []
    ) {
        self.path = path
        self.contents = contents
        self.server = server
        self.instances = instances
        self.locations = locations
        self.eventReferences = eventReferences
    }
}

/// One event name in one instance's subscription, where the manifest writes it (in `defaults`
/// for an inherited list).
public struct EventReference: Sendable, Hashable {
    public var instance: InstanceName
    public var event: EventName
    public var location: SourceLocation
    /// The path of the list, and the name's index in it (nil when `listPath` is the full path).
    private var listPath: String
    private var index: Int?

    /// The JSON path of the name, e.g. `instances[3].events[1]` (rendered on demand: a large
    /// manifest holds tens of thousands of these).
    public var path: String {
        guard let index else { return listPath }
        return JSONPath.appending(index: index, to: listPath)
    }

    public init(instance: InstanceName, event: EventName, location: SourceLocation, path: String) {
        self.instance = instance
        self.event = event
        self.location = location
        self.listPath = path
        self.index = nil
    }

    init(instance: InstanceName, item: EventItem) {
        self.instance = instance
        self.event = item.name
        self.location = item.location
        self.listPath = item.listPath
        self.index = item.index
    }
}

/// The manifest's `server` block. Command-line flags and the environment take precedence; the
/// commands decide that.
public struct ServerSettings: Sendable {
    public var url: String?
    public var apiKey: Secret?
    public var apiVersion: APIVersionChoice
    /// Skip TLS certificate verification.
    public var insecure: Bool
    /// Verify https against the CA certificates in this PEM file (as written: a relative path is
    /// relative to the manifest's directory, which the commands resolve).
    public var caFile: String?
    /// Fields left nil because their `${VAR}` is not set, keyed by `url` / `apiKey`, each with
    /// the diagnostic to show. Loading never fails for these (a `--server` or `--api-key` flag
    /// may make them unnecessary): a command that needs the field reports the diagnostic.
    public var unresolved: [String: Diagnostic]

    public init(
        url: String? = nil, apiKey: Secret? = nil, apiVersion: APIVersionChoice = .auto, insecure: Bool = false,
        caFile: String? = nil, unresolved: [String: Diagnostic] = [:]
    ) {
        self.url = url
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.insecure = insecure
        self.caFile = caFile
        self.unresolved = unresolved
    }
}

/// A manifest and the warnings found while loading it (literal secrets, variables not set in
/// `validate`). Callers show the warnings; none of them stops a command.
public struct LoadedManifest: Sendable {
    public var manifest: Manifest
    public var warnings: [Diagnostic]

    public init(manifest: Manifest, warnings: [Diagnostic]) {
        self.manifest = manifest
        self.warnings = warnings
    }
}

extension Manifest {
    /// Checks the events of every instance against one server version, once it is known (with
    /// `apiVersion: "auto"` the manifest was only checked against the union of both lists).
    /// Returns one error per event name that version does not accept, in file order.
    public func eventDiagnostics(for version: APIVersion) -> [Diagnostic] {
        let known = EventCatalog.known(by: version)
        let catalog = EventCatalog.all(for: version).map(\.rawValue)
        var seen: Set<Diagnostic> = []
        var result: [Diagnostic] = []
        for reference in eventReferences where !known.contains(reference.event) {
            var message =
                "event \(MessageText.quoted(reference.event.rawValue)) is not known by the server, which speaks Evolution API \(version.rawValue)"
            if let suggestion = MessageText.suggestion(to: reference.event.rawValue, in: catalog),
                suggestion != reference.event.rawValue
            {
                message += "; did you mean \(MessageText.quoted(suggestion))?"
            } else {
                message += "; remove it from the list"
            }
            let diagnostic = Diagnostic(at: reference.location, path: reference.path, message)
            if seen.insert(diagnostic).inserted { result.append(diagnostic) }
        }
        return Diagnostic.sortedByPosition(result)
    }
}

extension LoadedManifest {
    /// `manifest.eventDiagnostics(for:)`.
    public func eventDiagnostics(for version: APIVersion) -> [Diagnostic] {
        manifest.eventDiagnostics(for: version)
    }
}
