import EvoformCore

/// A manifest that cannot be used: unreadable, malformed, or breaking rules. Carries every error
/// found (never only the first) and the warnings, so a caller can show both.
public struct ManifestError: UserFacingError, Sendable, Hashable {
    /// The path as the user named the file.
    public var path: String
    /// Every error, in file order. Never empty.
    public var errors: [Diagnostic]
    /// Every warning, in file order.
    public var warnings: [Diagnostic]
    /// How many entries the `instances` array holds (0 when it could not be read).
    public var instanceCount: Int

    public init(path: String, errors: [Diagnostic], warnings: [Diagnostic] = [], instanceCount: Int = 0) {
        self.path = path
        self.errors = errors
        self.warnings = warnings
        self.instanceCount = instanceCount
    }

    /// Errors and warnings together, in file order.
    public var diagnostics: [Diagnostic] { Diagnostic.sortedByPosition(errors + warnings) }

    /// One error: its own line. Several: a count, then one line per error.
    public var userMessage: String {
        if errors.count == 1 { return errors[0].description }
        return "\(path) is not a valid manifest (\(errors.count) errors):\n"
            + errors.map(\.description).joined(separator: "\n")
    }
}

extension ManifestError {
    /// The manifest cannot be read as JSONC at all: one error at the reader's position.
    init(syntax problem: JSONCProblem, path: String) {
        self.init(
            path: path,
            errors: [
                Diagnostic(
                    file: path, line: problem.line, column: problem.column, path: problem.path, severity: .error,
                    message: problem.message)
            ])
    }
}
