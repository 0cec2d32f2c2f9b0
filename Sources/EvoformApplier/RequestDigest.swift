import EvoformCore
import EvoformState

/// A digest of a mutating request's intent (call, instance, secret-free configuration), stored
/// in the journal so a later run can tell what was in flight without storing the request.
enum RequestDigest {
    static func of(_ call: JournalAction, _ name: InstanceName, _ configuration: InstanceConfiguration) -> String {
        SHA256.hexDigest("\(call.rawValue) \(name.rawValue) \(configuration.json.canonicalText)")
    }
}
