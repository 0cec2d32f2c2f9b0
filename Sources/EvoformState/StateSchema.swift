/// The database layout, versioned with `PRAGMA user_version`. Migrations run in order inside one
/// transaction; a file whose version is higher than `currentVersion` is refused untouched.
enum StateSchema {
    struct Migration {
        /// The `user_version` after this migration.
        var version: Int
        /// Constant SQL: never a value.
        var sql: String
    }

    /// Every migration, in order. Append only: a released migration never changes.
    static let migrations: [Migration] = [
        Migration(
            version: 1,
            sql: """
                CREATE TABLE state_meta (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    lineage TEXT NOT NULL,
                    serial INTEGER NOT NULL CHECK (serial >= 0),
                    salt BLOB NOT NULL CHECK (length(salt) = 32),
                    created_at REAL NOT NULL
                );
                CREATE TABLE instances (
                    name TEXT PRIMARY KEY NOT NULL,
                    server_url TEXT NOT NULL,
                    api_version TEXT NOT NULL CHECK (api_version IN ('v1', 'v2')),
                    server_id TEXT,
                    configuration TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE journal (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    instance TEXT NOT NULL,
                    action TEXT NOT NULL,
                    request_fingerprint TEXT NOT NULL,
                    detail TEXT,
                    status TEXT NOT NULL CHECK (status IN ('intent', 'done', 'failed', 'resolved')),
                    http_status INTEGER,
                    message TEXT,
                    resolution TEXT,
                    started_at REAL NOT NULL,
                    finished_at REAL
                );
                CREATE INDEX journal_unfinished ON journal (id) WHERE status = 'intent';
                CREATE TABLE history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    serial INTEGER NOT NULL,
                    applied_at REAL NOT NULL,
                    user TEXT NOT NULL,
                    summary TEXT NOT NULL
                );
                """
        )
    ]

    /// The version this evoform writes.
    static var currentVersion: Int { migrations.last?.version ?? 0 }

    /// The tables version 1 and later must have.
    static let requiredTables: Set<String> = ["state_meta", "instances", "journal", "history"]

    static func userVersion(_ connection: SQLiteConnection) throws(StateError) -> Int {
        let version = try connection.queryFirst("PRAGMA user_version") { row in Int(row.integer(0)) }
        return version ?? 0
    }

    /// Brings the database from its version to `currentVersion`. Must run inside a transaction.
    static func migrate(_ connection: SQLiteConnection, from version: Int) throws(StateError) {
        for migration in migrations where migration.version > version {
            try connection.execute(migration.sql)
            // PRAGMA takes no bound parameters; the version is this program's constant.
            try connection.execute("PRAGMA user_version = \(migration.version)")
        }
    }
}
