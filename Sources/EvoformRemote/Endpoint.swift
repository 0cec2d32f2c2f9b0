import EvoformCore

/// One Evolution API endpoint as errors and traces name it: method and path template, e.g.
/// `POST /webhook/set/{name}`. The concrete path (with the instance name percent-encoded) is
/// built by `path(for:)`.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public let method: String
    /// The path with `{name}` where the instance name goes.
    public let template: String
    /// Whether the request changes something on the server.
    public let isMutating: Bool

    public init(_ method: String, _ template: String, isMutating: Bool) {
        self.method = method
        self.template = template
        self.isMutating = isMutating
    }

    public var description: String { "\(method) \(template)" }

    /// The path with the instance name filled in as one percent-encoded segment.
    public func path(for name: InstanceName?) -> String {
        guard let name, template.contains("{name}") else { return template }
        return template.replacingOccurrences(of: "{name}", with: Endpoint.encodeSegment(name.rawValue))
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters, so a name with `/`, `?`,
    /// `%`, spaces or non-ASCII letters stays one path segment.
    public static func encodeSegment(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }

    public static let root = Endpoint("GET", "/", isMutating: false)
    public static let fetchInstances = Endpoint("GET", "/instance/fetchInstances", isMutating: false)
    public static let create = Endpoint("POST", "/instance/create", isMutating: true)
    public static let connectionState = Endpoint("GET", "/instance/connectionState/{name}", isMutating: false)
    public static let connect = Endpoint("GET", "/instance/connect/{name}", isMutating: false)
    public static let logout = Endpoint("DELETE", "/instance/logout/{name}", isMutating: true)
    public static let delete = Endpoint("DELETE", "/instance/delete/{name}", isMutating: true)
    public static let webhookSet = Endpoint("POST", "/webhook/set/{name}", isMutating: true)
    public static let webhookFind = Endpoint("GET", "/webhook/find/{name}", isMutating: false)
    public static let chatwootSet = Endpoint("POST", "/chatwoot/set/{name}", isMutating: true)
    public static let chatwootFind = Endpoint("GET", "/chatwoot/find/{name}", isMutating: false)
    public static let settingsSet = Endpoint("POST", "/settings/set/{name}", isMutating: true)
    public static let settingsFind = Endpoint("GET", "/settings/find/{name}", isMutating: false)

    /// The `set` endpoint of a configuration group.
    public static func set(_ group: FieldGroup) -> Endpoint? {
        switch group {
        case .webhook: webhookSet
        case .chatwoot: chatwootSet
        case .settings: settingsSet
        case .createOnly, .replaceForcing: nil
        }
    }

    /// The `find` endpoint of a configuration group.
    public static func find(_ group: FieldGroup) -> Endpoint? {
        switch group {
        case .webhook: webhookFind
        case .chatwoot: chatwootFind
        case .settings: settingsFind
        case .createOnly, .replaceForcing: nil
        }
    }
}
