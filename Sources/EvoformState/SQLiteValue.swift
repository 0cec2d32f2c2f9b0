/// A value bound to, or read from, an SQL statement. Values always travel as bound parameters,
/// never inside SQL text.
enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}
