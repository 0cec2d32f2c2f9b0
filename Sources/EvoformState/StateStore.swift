import CSQLite
import EvoformCore
import Foundation

/// The state: which instances evoform owns and what it last applied, in one SQLite file.
///
/// Opening takes the run lock (see `StateLock`) and holds it until `close()`; every write is one
/// transaction with `synchronous=FULL` in WAL mode, so a kill at any moment loses no committed
/// change. Secrets are never stored: `fingerprinter` turns them into keyed digests. All methods
/// are safe to call from several tasks; calls are serialised on the one connection.
public final class StateStore: @unchecked Sendable {
    /// The database file.
    public let url: URL
    /// What this run said it is doing ("plan", "apply"...), as the lock record shows it.
    public let operation: String
    /// A random id given to the state when it was created; a saved plan must match it.
    public let lineage: String
    let salt: [UInt8]
    private let now: @Sendable () -> Date
    private let mutex = NSLock()
    private var connection: SQLiteConnection?
    private var lock: StateLock?
    private var lastSerial: Int

    private init(
        url: URL, operation: String, lineage: String, salt: [UInt8], serial: Int, now: @escaping @Sendable () -> Date,
        connection: SQLiteConnection, lock: StateLock?
    ) {
        self.url = url
        self.operation = operation
        self.lineage = lineage
        self.salt = salt
        self.lastSerial = serial
        self.now = now
        self.connection = connection
        self.lock = lock
    }

    deinit { close() }

    /// Where the lock file of the state at `url` lives: `<state>.lock`.
    public static func lockURL(for url: URL) -> URL { URL(fileURLWithPath: url.path + ".lock") }

    /// Where `backup()` writes: `<state>.backup`.
    public static func backupURL(for url: URL) -> URL { URL(fileURLWithPath: url.path + ".backup") }

    /// Opens the state (creating it if needed and allowed) and takes the lock for `operation`
    /// ("plan", "apply", ...).
    ///
    /// - Parameters:
    ///   - lockTimeout: how long to wait for another run's lock; zero fails at once with `.locked`.
    ///   - createIfMissing: when false, a missing file is `.missing` and nothing is created.
    ///   - now: the clock for timestamps (injected by tests).
    ///   - whileWaiting: called once when the lock is taken by another run and the wait begins.
    public static func open(
        at url: URL, operation: String, lockTimeout: Duration = .zero, createIfMissing: Bool = true,
        now: @escaping @Sendable () -> Date = { Date() }, whileWaiting: (LockHolder?) -> Void = { _ in }
    ) throws(StateError) -> StateStore {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        if !createIfMissing, try StateFiles.entry(at: path) == .absent { throw StateError.missing(path: path) }
        try StateFiles.makeDirectory(directory)
        let lock = try StateLock.acquire(
            path: lockURL(for: url).path, statePath: path,
            holder: .current(operation: operation, since: now()), timeout: lockTimeout, whileWaiting: whileWaiting)
        do throws(StateError) {
            if try !isPresent(path) {
                guard createIfMissing else { throw StateError.missing(path: path) }
                try create(at: path, now: now())
            }
            let connection = try SQLiteConnection(path: path)
            do throws(StateError) {
                let meta = try prepare(connection, path: path)
                return StateStore(
                    url: url, operation: operation, lineage: meta.lineage, salt: meta.salt, serial: meta.serial, now: now,
                    connection: connection, lock: lock)
            } catch {
                connection.close()
                throw error
            }
        } catch {
            lock.release()
            throw error
        }
    }

    /// Opens the state to read only, without the run lock, while another run holds it (the
    /// reader of `state list` during an apply): SQLite's WAL lets it read the last committed
    /// version while the other run writes. Nothing is written, created or migrated; a state whose
    /// schema is not the current one is `.locked` (it can only be read once migrated, by a run
    /// that holds the lock). Writing through the returned store is an error.
    public static func openSnapshot(
        at url: URL, heldBy holder: LockHolder?, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(StateError) -> StateStore {
        let path = url.path
        guard try isPresent(path) else { throw StateError.missing(path: path) }
        let connection = try SQLiteConnection(path: path, readOnly: true)
        do throws(StateError) {
            guard try knownVersion(connection, path: path) == StateSchema.currentVersion else {
                throw StateError.locked(holder: holder, statePath: path)
            }
            let meta = try readMeta(connection, path: path)
            return StateStore(
                url: url, operation: "read", lineage: meta.lineage, salt: meta.salt, serial: meta.serial, now: now,
                connection: connection, lock: nil)
        } catch {
            connection.close()
            throw error
        }
    }

    /// For `evoform force-unlock`: clears a leftover holder record when nobody holds the lock.
    /// When a process holds it: `.holderStillRunning` if the recorded holder is alive on this
    /// host (never broken); otherwise `.locked` unless `breakHeldLock`, which removes the lock
    /// file so the next run locks a fresh one.
    public static func forceUnlock(at url: URL, breakHeldLock: Bool) throws(StateError) -> ForceUnlockResult {
        try StateLock.forceUnlock(path: lockURL(for: url).path, statePath: url.path, breakHeldLock: breakHeldLock)
    }

    /// Creates a new state beside `path` and moves it into place only once it is complete, so a
    /// crash during creation never leaves an empty or half-made file at `path`.
    private static func create(at path: String, now: Date) throws(StateError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let prefix = ".\(name).creating-"
        // We hold the lock: any earlier creation file is a leftover of a killed run.
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where leftover.hasPrefix(prefix) {
            StateFiles.remove((directory as NSString).appendingPathComponent(leftover))
        }
        let temporary = (directory as NSString).appendingPathComponent(prefix + String(getpid()))
        try StateFiles.createExclusive(temporary)
        do throws(StateError) {
            let connection = try SQLiteConnection(path: temporary)
            defer { connection.close() }
            // Nobody sees this file until the rename, after it is synced whole: a crash before
            // leaves a leftover the next creation removes. So no journal and no sync per step.
            try connection.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            var generator = SystemRandomNumberGenerator()
            let salt = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            try connection.inTransaction { () throws(StateError) in
                try StateSchema.migrate(connection, from: 0)
                try connection.run(
                    "INSERT INTO state_meta (singleton, lineage, serial, salt, created_at) VALUES (1, ?1, 0, ?2, ?3)",
                    [.text(UUID().uuidString.lowercased()), .blob(salt), .real(now.timeIntervalSince1970)])
            }
            connection.close()
            try StateFiles.syncFile(temporary)
            try StateFiles.rename(temporary, to: path)
        } catch {
            StateFiles.remove(temporary)
            throw error
        }
    }

    private struct Meta {
        var lineage: String
        var salt: [UInt8]
        var serial: Int
    }

    /// Checks an existing file before anything writes to it, then configures and migrates it.
    private static func prepare(_ connection: SQLiteConnection, path: String) throws(StateError) -> Meta {
        // Reads only, until the file is known to be a sound evoform state of a version we know.
        let version = try knownVersion(connection, path: path)
        let tables = Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(0) })
        guard version >= 1, tables.isSuperset(of: StateSchema.requiredTables) else {
            throw StateError.corrupt(path: path, detail: "it is an SQLite database but not an evoform state")
        }
        let problems = try connection.query("PRAGMA quick_check") { $0.text(0) }
        guard problems == ["ok"] else {
            throw StateError.corrupt(
                path: path, detail: "SQLite's integrity check failed (\(problems.prefix(3).joined(separator: "; ")))")
        }
        _ = try connection.query("PRAGMA journal_mode = WAL") { $0.text(0) }
        try connection.execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")
        if version < StateSchema.currentVersion {
            try connection.inTransaction { () throws(StateError) in
                // Re-read inside the write transaction: the version cannot change under us now.
                try StateSchema.migrate(connection, from: try StateSchema.userVersion(connection))
            }
        }
        return try readMeta(connection, path: path)
    }

    /// Whether a state file is at `path`: false when nothing is; an empty file or something
    /// that is not a regular file is an error (evoform never writes an empty state).
    private static func isPresent(_ path: String) throws(StateError) -> Bool {
        switch try StateFiles.entry(at: path) {
        case .absent: return false
        case .file(size: 0):
            throw StateError.corrupt(path: path, detail: "the file is empty (0 bytes); evoform never writes an empty state")
        case .file: return true
        case .other: throw StateError.io(path: path, detail: "it is not a regular file")
        }
    }

    /// The schema version, refused when newer than this evoform knows.
    private static func knownVersion(_ connection: SQLiteConnection, path: String) throws(StateError) -> Int {
        let version = try StateSchema.userVersion(connection)
        guard version <= StateSchema.currentVersion else {
            throw StateError.newerVersion(path: path, found: version, supported: StateSchema.currentVersion)
        }
        return version
    }

    private static func readMeta(_ connection: SQLiteConnection, path: String) throws(StateError) -> Meta {
        let meta = try connection.queryFirst("SELECT lineage, salt, serial FROM state_meta WHERE singleton = 1") { row in
            Meta(lineage: row.text(0), salt: row.blob(1), serial: Int(row.integer(2)))
        }
        guard let meta, meta.salt.count == 32, !meta.lineage.isEmpty else {
            throw StateError.corrupt(path: path, detail: "its lineage and salt are missing")
        }
        return meta
    }

    /// Closes the database and releases the lock. Safe to call twice; the store is unusable after.
    public func close() {
        mutex.lock()
        defer { mutex.unlock() }
        connection?.close()
        connection = nil
        lock?.release()
        lock = nil
    }

    /// Runs `body` with the connection, one caller at a time.
    func withConnection<Result>(_ body: (SQLiteConnection) throws(StateError) -> Result) throws(StateError) -> Result {
        mutex.lock()
        defer { mutex.unlock() }
        guard let connection else { throw StateError.closed }
        return try body(connection)
    }

    /// The clock, as seconds since 1970.
    func timestamp() -> Double { now().timeIntervalSince1970 }

    // MARK: Serial

    /// The state's serial, re-read from the database; increases with every change. If the read
    /// fails (the store was closed), the last value seen.
    public var serial: Int { (try? readSerial()) ?? lastSeenSerial }

    /// The serial, re-read from the database, with any error.
    public func readSerial() throws(StateError) -> Int {
        try withConnection { connection throws(StateError) in try currentSerial(connection) }
    }

    private var lastSeenSerial: Int {
        mutex.lock()
        defer { mutex.unlock() }
        return lastSerial
    }

    func currentSerial(_ connection: SQLiteConnection) throws(StateError) -> Int {
        guard let serial = try connection.queryFirst("SELECT serial FROM state_meta WHERE singleton = 1", row: { Int($0.integer(0)) })
        else { throw StateError.corrupt(path: url.path, detail: "its lineage and salt are missing") }
        lastSerial = serial
        return serial
    }

    /// Adds one to the serial (or `count`, for a batch of writes). Called inside every writing
    /// transaction.
    func incrementSerial(_ connection: SQLiteConnection, by count: Int = 1) throws(StateError) {
        try connection.run("UPDATE state_meta SET serial = serial + ?1 WHERE singleton = 1", [.integer(Int64(count))])
        _ = try currentSerial(connection)
    }

    // MARK: Secrets

    /// Fingerprints secrets with this state's salt: HMAC-SHA256, hex. Equal secrets give equal
    /// fingerprints within one state (lineage), and nothing that helps recover the secret.
    public var fingerprinter: SecretFingerprinter {
        let salt = self.salt
        return SecretFingerprinter { secret in HMACSHA256.hexAuthenticationCode(key: salt, message: secret) }
    }

    // MARK: Instances

    static let instanceColumns = "name, server_url, api_version, server_id, configuration, created_at, updated_at"

    func instance(from row: SQLiteStatement) throws(StateError) -> ManagedInstance {
        let name = row.text(0)
        guard let version = APIVersion(rawValue: row.text(2)), let configuration = JSONValue.parse(row.text(4)) else {
            throw StateError.corrupt(path: url.path, detail: "the record of instance \"\(name)\" cannot be read")
        }
        return ManagedInstance(
            name: InstanceName(name), serverURL: row.text(1), apiVersion: version, serverID: row.optionalText(3),
            configuration: InstanceConfiguration(json: configuration), createdAt: row.real(5), updatedAt: row.real(6))
    }

    /// Every managed instance, sorted by name.
    public func instances() throws(StateError) -> [ManagedInstance] {
        try withConnection { connection throws(StateError) in
            try connection.query("SELECT \(Self.instanceColumns) FROM instances ORDER BY name") { row throws(StateError) in
                try instance(from: row)
            }
        }
    }

    /// The API version recorded with the first managed instance by name, nil without instances:
    /// what a plan that does not ask the server assumes. Reads one column of one row.
    public func firstRecordedAPIVersion() throws(StateError) -> APIVersion? {
        try withConnection { connection throws(StateError) in
            try connection.queryFirst("SELECT api_version FROM instances ORDER BY name LIMIT 1") { row throws(StateError) in
                guard let version = APIVersion(rawValue: row.text(0)) else {
                    throw StateError.corrupt(path: url.path, detail: "an instance record names an unknown API version")
                }
                return version
            }
        }
    }

    /// The managed instance with this name, if the state has one.
    public func instance(named name: InstanceName) throws(StateError) -> ManagedInstance? {
        try withConnection { connection throws(StateError) in try instance(named: name, connection) }
    }

    func instance(named name: InstanceName, _ connection: SQLiteConnection) throws(StateError) -> ManagedInstance? {
        try connection.queryFirst("SELECT \(Self.instanceColumns) FROM instances WHERE name = ?1", [.text(name.rawValue)]) {
            row throws(StateError) in try instance(from: row)
        }
    }

    /// Inserts or updates an instance's record in one transaction; serial += 1. The state sets
    /// `createdAt` (first record) and `updatedAt` (every record) itself; the stored record is returned.
    @discardableResult
    public func record(_ instance: ManagedInstance) throws(StateError) -> ManagedInstance {
        try withConnection { connection throws(StateError) in
            try connection.inTransaction { () throws(StateError) in
                try upsert(instance, connection)
                try incrementSerial(connection)
                guard let stored = try self.instance(named: instance.name, connection) else {
                    throw StateError.notFound(instance.name, didYouMean: nil)
                }
                return stored
            }
        }
    }

    func upsert(_ instance: ManagedInstance, _ connection: SQLiteConnection) throws(StateError) {
        try connection.run(
            """
            INSERT INTO instances (name, server_url, api_version, server_id, configuration, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
            ON CONFLICT (name) DO UPDATE SET
                server_url = excluded.server_url, api_version = excluded.api_version,
                server_id = excluded.server_id, configuration = excluded.configuration,
                updated_at = excluded.updated_at
            """,
            [
                .text(instance.name.rawValue), .text(instance.serverURL), .text(instance.apiVersion.rawValue),
                instance.serverID.map { .text($0) } ?? .null, .text(instance.configuration.json.canonicalText),
                .real(timestamp()),
            ])
    }

    /// Removes an instance's record (the server is not touched); serial += 1.
    /// `.notFound` (with a suggestion) if the state has no such instance.
    public func forget(_ name: InstanceName) throws(StateError) {
        try withConnection { connection throws(StateError) in
            try connection.inTransaction { () throws(StateError) in
                guard try connection.run("DELETE FROM instances WHERE name = ?1", [.text(name.rawValue)]) == 1 else {
                    throw try notFound(name, connection)
                }
                try incrementSerial(connection)
            }
        }
    }

    /// Renames an instance's record; serial += 1. `.notFound` if `old` is not in the state,
    /// `.alreadyExists` if `new` is.
    public func rename(_ old: InstanceName, to new: InstanceName) throws(StateError) {
        try withConnection { connection throws(StateError) in
            try connection.inTransaction { () throws(StateError) in
                guard try instance(named: old, connection) != nil else { throw try notFound(old, connection) }
                guard old != new else { return }
                guard try instance(named: new, connection) == nil else { throw StateError.alreadyExists(new) }
                try connection.run(
                    "UPDATE instances SET name = ?1, updated_at = ?2 WHERE name = ?3",
                    [.text(new.rawValue), .real(timestamp()), .text(old.rawValue)])
                try incrementSerial(connection)
            }
        }
    }

    /// The error for a name the state does not have, with the closest name it does have.
    public func notFoundError(_ name: InstanceName) -> StateError {
        (try? withConnection { connection throws(StateError) in try notFound(name, connection) })
            ?? .notFound(name, didYouMean: nil)
    }

    func notFound(_ name: InstanceName, _ connection: SQLiteConnection) throws(StateError) -> StateError {
        let names = try connection.query("SELECT name FROM instances") { $0.text(0) }
        return .notFound(name, didYouMean: Suggestion.closest(to: name.rawValue, in: names).map { InstanceName($0) })
    }
}
