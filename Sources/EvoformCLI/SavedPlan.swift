import EvoformCore
import EvoformPlanner
import EvoformRendering
import Foundation

/// A plan saved with `plan --out FILE`: enough to prove, at `apply FILE` time, that nothing it
/// was made from has changed. It holds no secret: secret values appear only as fingerprints.
struct SavedPlan: Equatable {
    static let kind = "evoform-plan"
    static let formatVersion = "1"

    var evoformVersion: String
    var lineage: String
    var serial: Int
    var manifestPath: String
    var manifestDigest: String
    var serverURL: String
    var apiVersion: APIVersion
    var refreshed: Bool
    var targets: [String]
    /// Fingerprints of the manifest's secrets, per instance and field.
    var secretFingerprints: [String: [String: String]]
    /// `PlanDocument.json(plan, secrets: .fingerprints)`: compared whole at apply time.
    var plan: JSONValue

    var json: JSONValue {
        .object([
            "kind": .string(Self.kind),
            "format_version": .string(Self.formatVersion),
            "evoform_version": .string(evoformVersion),
            "state": ["lineage": .string(lineage), "serial": .number(Double(serial))],
            "manifest": ["path": .string(manifestPath), "sha256": .string(manifestDigest)],
            "server": ["url": .string(serverURL), "api_version": .string(apiVersion.rawValue)],
            "refreshed": .bool(refreshed),
            "targets": .array(targets.map { .string($0) }),
            "secret_fingerprints": .object(secretFingerprints.mapValues { .object($0.mapValues { .string($0) }) }),
            "plan": plan,
        ])
    }

    /// Reads a plan file; anything else (truncated, another format, a newer version) is a clear error.
    init(contentsOf url: URL, displayPath: String) throws(SavedPlanError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(displayPath) }
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: data) else { throw .malformed(displayPath) }
        guard json["kind"]?.stringValue == Self.kind else { throw .notAPlan(displayPath) }
        guard json["format_version"]?.stringValue == Self.formatVersion else {
            throw .unsupportedVersion(displayPath, json["format_version"]?.stringValue ?? "?")
        }
        guard let lineage = json["state"]?["lineage"]?.stringValue, let serial = json["state"]?["serial"]?.integerValue,
            let manifestPath = json["manifest"]?["path"]?.stringValue,
            let digest = json["manifest"]?["sha256"]?.stringValue,
            let serverURL = json["server"]?["url"]?.stringValue,
            let version = json["server"]?["api_version"]?.stringValue.flatMap(APIVersion.init(rawValue:)),
            let refreshed = json["refreshed"]?.boolValue, let plan = json["plan"],
            let secrets = json["secret_fingerprints"]?.objectValue
        else { throw .malformed(displayPath) }
        self.evoformVersion = json["evoform_version"]?.stringValue ?? "?"
        self.lineage = lineage
        self.serial = serial
        self.manifestPath = manifestPath
        self.manifestDigest = digest
        self.serverURL = serverURL
        self.apiVersion = version
        self.refreshed = refreshed
        self.targets = json["targets"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.secretFingerprints = secrets.mapValues { ($0.objectValue ?? [:]).compactMapValues(\.stringValue) }
        self.plan = plan
    }

    init(
        lineage: String, serial: Int, manifestPath: String, manifestDigest: String, serverURL: String,
        apiVersion: APIVersion, refreshed: Bool, targets: [String], secretFingerprints: [String: [String: String]],
        plan: JSONValue
    ) {
        self.evoformVersion = Evoform.version
        self.lineage = lineage
        self.serial = serial
        self.manifestPath = manifestPath
        self.manifestDigest = manifestDigest
        self.serverURL = serverURL
        self.apiVersion = apiVersion
        self.refreshed = refreshed
        self.targets = targets
        self.secretFingerprints = secretFingerprints
        self.plan = plan
    }

    /// The fingerprints of every secret of the manifest, as a plan records them.
    static func fingerprints(of desired: [DesiredInstance], using fingerprinter: SecretFingerprinter) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for instance in desired where !instance.secrets.isEmpty {
            result[instance.name.rawValue] = Dictionary(
                uniqueKeysWithValues: instance.secrets.map { ($0.key.rawValue, fingerprinter.fingerprint($0.value).rawValue) })
        }
        return result
    }

    func write(to url: URL) throws {
        try Data((json.prettyText() + "\n").utf8).write(to: url, options: .atomic)
    }
}

enum SavedPlanError: UserFacingError, Equatable {
    case unreadable(String)
    case malformed(String)
    case notAPlan(String)
    case unsupportedVersion(String, String)
    /// The plan no longer matches the world; nothing was done.
    case stale(String, reason: String)

    var userMessage: String {
        switch self {
        case .unreadable(let path): "cannot read the plan file \(path)"
        case .malformed(let path): "\(path) is not a complete evoform plan file (truncated or edited?); run 'evoform plan --out \(path)' again"
        case .notAPlan(let path): "\(path) is not an evoform plan file"
        case .unsupportedVersion(let path, let version):
            "\(path) has plan format \(version), which this evoform (\(Evoform.version)) cannot read; make the plan with this version"
        case .stale(let path, let reason):
            "the saved plan \(path) is stale: \(reason). Nothing was done; run 'evoform plan --out \(path)' again"
        }
    }

    var exitStatus: ExitStatus {
        if case .stale = self { return .stalePlan }
        return .failure
    }
}
