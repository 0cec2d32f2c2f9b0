import CSQLite

/// A prepared statement, used only inside `SQLiteConnection.withStatement`, which takes it back
/// (`release`) to keep it for the next call.
final class SQLiteStatement {
    private var pointer: OpaquePointer?
    private unowned let connection: SQLiteConnection
    private let sql: String

    init(pointer: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.pointer = pointer
        self.connection = connection
        self.sql = sql
    }

    deinit { finalize() }

    func finalize() {
        guard let pointer else { return }
        sqlite3_finalize(pointer)
        self.pointer = nil
    }

    /// Hands the statement back to the connection; this object no longer uses it.
    func release() -> OpaquePointer? {
        defer { pointer = nil }
        return pointer
    }

    /// Binds values to `?1`, `?2`... in order. Text and blobs are copied (`SQLITE_TRANSIENT`).
    func bind(_ values: [SQLiteValue]) throws(StateError) {
        guard let pointer else { throw StateError.closed }
        let expected = Int(sqlite3_bind_parameter_count(pointer))
        guard expected == values.count else {
            throw StateError.sqlite(
                code: SQLITE_RANGE,
                message: "\(SQLiteConnection.summary(of: sql)) takes \(expected) values, was given \(values.count)")
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(pointer, index)
            case .integer(let number): code = sqlite3_bind_int64(pointer, index, number)
            case .real(let number): code = sqlite3_bind_double(pointer, index, number)
            case .text(let text): code = sqlite3_bind_text(pointer, index, text, -1, SQLiteStatement.transient)
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(pointer, index, buffer.baseAddress, Int32(buffer.count), SQLiteStatement.transient)
                }
            }
            guard code == SQLITE_OK else {
                throw connection.lastError(code: code, context: "binding value \(index) of \(SQLiteConnection.summary(of: sql))")
            }
        }
    }

    /// Advances to the next row: true if there is one, false when done.
    func step() throws(StateError) -> Bool {
        guard let pointer else { throw StateError.closed }
        let code = sqlite3_step(pointer)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.lastError(code: code, context: "running \(SQLiteConnection.summary(of: sql))")
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(pointer, column) == SQLITE_NULL }

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(pointer, column) }

    func real(_ column: Int32) -> Double { sqlite3_column_double(pointer, column) }

    func text(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(pointer, column) else { return "" }
        let count = Int(sqlite3_column_bytes(pointer, column))
        return String(decoding: UnsafeRawBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func optionalInteger(_ column: Int32) -> Int64? { isNull(column) ? nil : integer(column) }

    func optionalReal(_ column: Int32) -> Double? { isNull(column) ? nil : real(column) }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(pointer, column))
        guard count > 0, let bytes = sqlite3_column_blob(pointer, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// SQLite's `SQLITE_TRANSIENT`: copy the bound bytes before the call returns.
    static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
