import EvoformCore

/// One problem found in a manifest: where, about what, and what to do. Never carries a secret.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    public var file: String
    public var line: Int
    public var column: Int
    /// The JSON path of the subject, e.g. `instances[3].events[1]`; empty for the document itself.
    public var path: String
    public var severity: Severity
    /// What is wrong and how to fix it (or "did you mean").
    public var message: String

    public init(file: String, line: Int, column: Int, path: String, severity: Severity, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.severity = severity
        self.message = message
    }

    public init(at location: SourceLocation, path: String, severity: Severity = .error, _ message: String) {
        self.init(
            file: location.file, line: location.line, column: location.column, path: path, severity: severity,
            message: message)
    }

    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// `FILE:LINE:COL: PATH: message`. The path is left out for the document itself, and the
    /// line and column for a whole-file problem (`FILE: message`).
    public var description: String {
        var text = location.description + ": "
        if !path.isEmpty { text += path + ": " }
        return text + message
    }

    /// `{"column","file","line","message","path","severity"}` for `--json` output.
    public var json: JSONValue {
        .object([
            "file": .string(file),
            "line": .number(Double(line)),
            "column": .number(Double(column)),
            "path": .string(path),
            "severity": .string(severity.rawValue),
            "message": .string(message),
        ])
    }

    /// File order: by line and column, then errors before warnings, then by text.
    static func sortedByPosition(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { lhs, rhs in
            if lhs.location != rhs.location { return lhs.location < rhs.location }
            if lhs.severity != rhs.severity { return lhs.severity == .error }
            if lhs.path != rhs.path { return lhs.path < rhs.path }
            return lhs.message < rhs.message
        }
    }
}
