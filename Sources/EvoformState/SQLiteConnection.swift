import CSQLite
import Foundation

/// One SQLite connection with a single owner (the `StateStore` that opened it). A statement with
/// values (`run`, `query`) is prepared once and kept, reset and cleared of its values after each
/// use, for the next call with the same SQL: an apply runs the same few statements thousands of
/// times, and compiling them was most of SQLite's share of its CPU. Kept statements are finalised
/// on `close`. Errors carry SQLite's message and code but never a bound value.
final class SQLiteConnection {
    /// The database file, for error messages.
    let path: String
    private var handle: OpaquePointer?
    /// Prepared statements by SQL, each idle (reset, no values bound).
    private var kept: [String: OpaquePointer] = [:]
    /// More distinct statements than this are finalised after use instead of kept.
    private static let keptLimit = 64

    /// Opens an existing file, or creates one when `create` is set; `readOnly` never writes.
    init(path: String, create: Bool = false, readOnly: Bool = false) throws(StateError) {
        self.path = path
        var flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if create { flags |= SQLITE_OPEN_CREATE }
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(opened)
            throw SQLiteConnection.error(code: code, message: message, path: path, context: "opening the database")
        }
        handle = opened
        sqlite3_extended_result_codes(opened, 1)
        // Only a process other than evoform (which excludes itself with the run lock) could hold
        // SQLite's own lock, e.g. someone inspecting the file with the sqlite3 shell.
        sqlite3_busy_timeout(opened, Self.busyTimeoutMilliseconds)
    }

    /// How long SQLite waits for its own file lock before `SQLITE_BUSY`.
    static let busyTimeoutMilliseconds: Int32 = 5000

    deinit { close() }

    /// Closes the connection, finalising the kept statements first (nothing else is left open).
    func close() {
        guard let handle else { return }
        for statement in kept.values { sqlite3_finalize(statement) }
        kept.removeAll()
        sqlite3_close_v2(handle)
        self.handle = nil
    }

    var isOpen: Bool { handle != nil }

    /// The raw handle, for the backup API.
    func rawHandle() throws(StateError) -> OpaquePointer {
        guard let handle else { throw StateError.closed }
        return handle
    }

    /// Runs SQL that has no parameters (schema, pragmas, transaction control). One or more
    /// statements; values must never be interpolated into it.
    func execute(_ sql: String) throws(StateError) {
        let handle = try rawHandle()
        var remaining = sql
        while true {
            let statement = try prepare(remaining, in: handle)
            defer { sqlite3_finalize(statement.pointer) }
            if let pointer = statement.pointer {
                var code = sqlite3_step(pointer)
                while code == SQLITE_ROW { code = sqlite3_step(pointer) }
                guard code == SQLITE_DONE else { throw lastError(code: code, context: "running \(Self.summary(of: remaining))") }
            }
            guard !statement.tail.allSatisfy(\.isWhitespace) else { return }
            remaining = statement.tail
        }
    }

    /// Runs one statement with bound values and returns how many rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws(StateError) -> Int {
        try withStatement(sql, values) { statement throws(StateError) in
            while try statement.step() {}
        }
        return Int(sqlite3_changes(try rawHandle()))
    }

    /// Runs one query with bound values and maps every row.
    func query<Row>(
        _ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteStatement) throws(StateError) -> Row
    ) throws(StateError) -> [Row] {
        try withStatement(sql, values) { statement throws(StateError) in
            var rows: [Row] = []
            while try statement.step() { rows.append(try row(statement)) }
            return rows
        }
    }

    /// The first row of a query, if any.
    func queryFirst<Row>(
        _ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteStatement) throws(StateError) -> Row
    ) throws(StateError) -> Row? {
        try withStatement(sql, values) { statement throws(StateError) in
            try statement.step() ? try row(statement) : nil
        }
    }

    /// The row id of the last insert.
    var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// Takes the kept statement for `sql` (or prepares it), binds `values`, hands it to `body`,
    /// and then resets and keeps it, whatever happens. A statement used again inside `body` (the
    /// same SQL) gets a fresh one of its own.
    func withStatement<Result>(
        _ sql: String, _ values: [SQLiteValue], _ body: (SQLiteStatement) throws(StateError) -> Result
    ) throws(StateError) -> Result {
        let handle = try rawHandle()
        let pointer: OpaquePointer
        if let idle = kept.removeValue(forKey: sql) {
            pointer = idle
        } else {
            let prepared = try prepare(sql, in: handle)
            guard let fresh = prepared.pointer else {
                throw StateError.sqlite(code: SQLITE_MISUSE, message: "empty statement: \(Self.summary(of: sql))")
            }
            pointer = fresh
        }
        let statement = SQLiteStatement(pointer: pointer, connection: self, sql: sql)
        defer { keep(statement.release(), sql: sql) }
        try statement.bind(values)
        return try body(statement)
    }

    /// Resets a used statement (ending its read, dropping its values) and keeps it for `sql`.
    private func keep(_ pointer: OpaquePointer?, sql: String) {
        guard let pointer else { return }
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
        if handle != nil, kept[sql] == nil, kept.count < Self.keptLimit {
            kept[sql] = pointer
        } else {
            sqlite3_finalize(pointer)
        }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    /// `immediate` takes SQLite's write lock at the start, so a write never fails half-way on a busy database.
    func inTransaction<Result>(
        immediate: Bool = true, _ body: () throws(StateError) -> Result
    ) throws(StateError) -> Result {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        let result: Result
        do {
            result = try body()
        } catch {
            rollback()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollback()
            throw error
        }
        return result
    }

    private func rollback() {
        guard let handle, sqlite3_get_autocommit(handle) == 0 else { return }
        sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
    }

    private struct Prepared {
        var pointer: OpaquePointer?
        var tail: String
    }

    private func prepare(_ sql: String, in handle: OpaquePointer) throws(StateError) -> Prepared {
        var pointer: OpaquePointer?
        var tail = ""
        let code = sql.withCString { text -> Int32 in
            var end: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(handle, text, -1, &pointer, &end)
            if let end { tail = String(cString: end) }
            return code
        }
        guard code == SQLITE_OK else {
            sqlite3_finalize(pointer)
            throw lastError(code: code, context: "preparing \(Self.summary(of: sql))")
        }
        return Prepared(pointer: pointer, tail: tail)
    }

    /// The error for a failed call, with SQLite's current message.
    func lastError(code: Int32, context: String) -> StateError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return Self.error(code: code, message: message, path: path, context: context)
    }

    /// Maps an SQLite result code to the state's error: damage is `corrupt`, disk trouble is `io`.
    static func error(code: Int32, message: String, path: String, context: String) -> StateError {
        switch code & 0xff {
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return .corrupt(path: path, detail: message)
        case SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM:
            return .io(path: path, detail: "\(context): \(message)")
        default:
            return .sqlite(code: code, message: "\(context): \(message)")
        }
    }

    /// The first words of a statement, for messages (SQL never holds values, so this is safe).
    static func summary(of sql: String) -> String {
        let words = sql.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ")
        return "\"\(words)\(words.count < sql.count ? " ..." : "")\""
    }
}
