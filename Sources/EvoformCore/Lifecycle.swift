/// Per-instance protections, as in Terraform's `lifecycle` block.
public struct Lifecycle: Hashable, Sendable, Codable {
    /// A plan that would delete or replace the instance is an error.
    public var preventDestroy: Bool
    /// Fields (or whole groups: `webhook`, `chatwoot`, `settings`, `token`) whose differences
    /// are ignored after creation.
    public var ignoreChanges: Set<Field>

    public init(preventDestroy: Bool = false, ignoreChanges: Set<Field> = []) {
        self.preventDestroy = preventDestroy
        self.ignoreChanges = ignoreChanges
    }

    /// Resolves one `ignoreChanges` entry: a group name or a field path. Nil if unknown.
    public static func fields(forIgnoreKey key: String) -> [Field]? {
        if let group = FieldGroup.allCases.first(where: { $0.ignoreKey == key }) { return group.fields }
        if let field = Field(rawValue: key) { return [field] }
        return nil
    }

    /// Every spelling `ignoreChanges` accepts, for "did you mean" suggestions.
    public static var ignoreKeys: [String] {
        FieldGroup.allCases.map(\.ignoreKey) + Field.allCases.map(\.rawValue)
    }
}
