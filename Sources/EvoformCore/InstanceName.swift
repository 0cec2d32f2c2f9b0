/// The name that identifies an instance on a server; used in every URL path.
public struct InstanceName: StringIdentifier {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
}
