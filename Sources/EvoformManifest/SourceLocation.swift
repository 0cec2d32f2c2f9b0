/// A place in a manifest file: 1-based line and column, columns counted in Unicode scalars.
/// Line and column 0 mean "the file as a whole" (it could not be read at all).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COL`, or just `FILE` for a whole-file location.
    public var description: String {
        line == 0 ? file : "\(file):\(line):\(column)"
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
