import EvoformCore
@testable import EvoformState
import Foundation
import Testing

@Suite("State files: damage, versions, permissions, secrets")
struct StateFileTests {
    let directory = TemporaryDirectory()

    func write(_ bytes: [UInt8], to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Makes a real state with `count` instances and closes it.
    func makeState(at url: URL, count: Int) throws {
        let store = try StateStore.open(at: url, operation: "apply")
        for index in 0..<count { try store.record(sampleInstance("i\(index)", fingerprinter: store.fingerprinter)) }
        store.close()
    }

    func expectCorrupt(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> StateError? {
        let before = try #require(contents(of: url), sourceLocation: sourceLocation)
        let error = stateError({ () throws(StateError) in try StateStore.open(at: url, operation: "plan") }, sourceLocation: sourceLocation)
        guard case .corrupt(let path, _)? = error else {
            Issue.record("expected .corrupt, got \(String(describing: error))", sourceLocation: sourceLocation)
            return error
        }
        #expect(path == url.path, sourceLocation: sourceLocation)
        let message = error?.userMessage ?? ""
        #expect(message.contains(url.path), sourceLocation: sourceLocation)
        #expect(message.contains("\(url.path).backup"), sourceLocation: sourceLocation)
        #expect(message.contains("has not changed it"), sourceLocation: sourceLocation)
        #expect(contents(of: url) == before, "the file must be untouched", sourceLocation: sourceLocation)
        #expect(error?.exitStatus == .failure, sourceLocation: sourceLocation)
        // The lock was released: the next attempt fails the same way rather than "locked".
        if case .locked? = stateError({ () throws(StateError) in try StateStore.open(at: url, operation: "plan") }) {
            Issue.record("the lock was left held", sourceLocation: sourceLocation)
        }
        return error
    }

    @Test("garbage bytes are a clear error and the file is untouched")
    func garbage() throws {
        let url = directory.statePath
        try write((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }, to: url)
        let error = try expectCorrupt(url)
        #expect(error?.userMessage.contains("not a database") == true)
    }

    @Test("a truncated state is a clear error, never an empty state")
    func truncated() throws {
        let url = directory.statePath
        try makeState(at: url, count: 400)
        let full = try #require(contents(of: url))
        #expect(full.count > 16 * 4096)
        #expect(!FileManager.default.fileExists(atPath: url.path + "-wal"))
        try write(Array(full.prefix(full.count / 2)), to: url)
        _ = try expectCorrupt(url)
    }

    @Test("a state cut inside its first page is a clear error")
    func truncatedToHeader() throws {
        let url = directory.statePath
        try makeState(at: url, count: 3)
        let full = try #require(contents(of: url))
        try write(Array(full.prefix(100)), to: url)
        _ = try expectCorrupt(url)
    }

    @Test("an empty file is not taken for a new state")
    func emptyFile() throws {
        let url = directory.statePath
        try write([], to: url)
        let error = try expectCorrupt(url)
        #expect(error?.userMessage.contains("empty") == true)
    }

    @Test("an SQLite database that is not a state is refused untouched")
    func foreignDatabase() throws {
        let url = directory.statePath
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let connection = try SQLiteConnection(path: url.path, create: true)
        try connection.execute("CREATE TABLE notes (body TEXT)")
        try connection.run("INSERT INTO notes (body) VALUES (?1)", [.text("hello")])
        connection.close()
        let error = try expectCorrupt(url)
        #expect(error?.userMessage.contains("not an evoform state") == true)
    }

    @Test("a state written by a newer evoform is refused untouched")
    func newerVersion() throws {
        let url = directory.statePath
        try makeState(at: url, count: 2)
        let connection = try SQLiteConnection(path: url.path)
        try connection.execute("PRAGMA user_version = 99")
        connection.close()
        let before = try #require(contents(of: url))
        let error = stateError { () throws(StateError) in try StateStore.open(at: url, operation: "plan") }
        #expect(error == .newerVersion(path: url.path, found: 99, supported: StateSchema.currentVersion))
        #expect(error?.userMessage.contains("newer evoform") == true)
        #expect(error?.userMessage.contains("upgrade") == true)
        #expect(contents(of: url) == before)
    }

    @Test("the folder evoform creates is 0700; the database, its WAL files, lock and backup are 0600")
    func permissions() throws {
        let url = directory.url.appendingPathComponent("deep/er/evoform.db")
        let store = try StateStore.open(at: url, operation: "apply")
        try store.record(sampleInstance("sales01", fingerprinter: store.fingerprinter))
        try store.backup()
        #expect(mode(of: directory.url.appendingPathComponent("deep")) == 0o700)
        #expect(mode(of: directory.url.appendingPathComponent("deep/er")) == 0o700)
        #expect(mode(of: url) == 0o600)
        #expect(mode(of: URL(fileURLWithPath: url.path + "-wal")) == 0o600)
        #expect(mode(of: URL(fileURLWithPath: url.path + "-shm")) == 0o600)
        #expect(mode(of: StateStore.lockURL(for: url)) == 0o600)
        #expect(mode(of: StateStore.backupURL(for: url)) == 0o600)
        store.close()
    }

    @Test("an existing folder keeps its permissions")
    func existingFolder() throws {
        let folder = directory.url.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o750)
        let store = try StateStore.open(at: folder.appendingPathComponent("evoform.db"), operation: "apply")
        store.close()
        #expect(mode(of: folder) == 0o750)
    }

    @Test("no secret reaches the database, its WAL, its shared memory, the lock or the backup")
    func secretsNeverStored() throws {
        let secrets = ["tok-SALES-7f3a9c1e55d2", "cw-CHATWOOT-b81d0e4477aa", "apikey-GLOBAL-42c6e9d1f0"]
        let url = directory.statePath
        let store = try StateStore.open(at: url, operation: "apply")
        let fingerprinter = store.fingerprinter
        var fingerprints: [String] = []
        for (index, name) in ["sales01", "support01", "helpdesk"].enumerated() {
            var instance = sampleInstance(name, fingerprinter: fingerprinter, token: secrets[index])
            instance.configuration[.chatwootToken] = .secret(fingerprinter.fingerprint(Secret(secrets[1])))
            fingerprints.append(fingerprinter.fingerprint(Secret(secrets[index])).rawValue)
            let body = "{\"instanceName\":\"\(name)\",\"token\":\"\(secrets[index])\"}"
            let request = fingerprinter.fingerprint(Secret(body)).rawValue
            let id = try store.journalIntent(
                instance: InstanceName(name), action: .create, requestFingerprint: request, detail: instance.configuration.json)
            try store.journalOutcome(id, outcome: .done, change: .record(instance))
        }
        try store.recordApply(user: "alice", summary: ["created": 3])
        try store.backup()

        let files = [url.path, url.path + "-wal", url.path + "-shm", url.path + ".lock", url.path + ".backup"]
            .map { URL(fileURLWithPath: $0) }
        func search() {
            var all: [UInt8] = []
            for file in files {
                guard let bytes = contents(of: file) else { continue }
                all += bytes
                for secret in secrets {
                    #expect(!containsBytes(bytes, Array(secret.utf8)), "\(secret) found in \(file.lastPathComponent)")
                }
            }
            // The search looks at the right bytes: the fingerprints are there.
            for fingerprint in fingerprints { #expect(containsBytes(all, Array(fingerprint.utf8))) }
        }
        #expect(FileManager.default.fileExists(atPath: url.path + "-wal"))
        search()
        store.close()
        search()
    }

    @Test("an interrupted creation leaves no half-made state behind")
    func creationLeftovers() throws {
        let url = directory.statePath
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let leftover = url.deletingLastPathComponent().appendingPathComponent(".evoform.db.creating-99999")
        try write([1, 2, 3], to: leftover)
        let store = try StateStore.open(at: url, operation: "apply")
        store.close()
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        let names = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path).sorted()
        #expect(names.allSatisfy { !$0.contains("creating") })
    }
}

@Suite("Schema migrations")
struct MigrationTests {
    let directory = TemporaryDirectory()

    @Test("migrations are numbered 1, 2, 3... in order")
    func ordered() {
        let versions = StateSchema.migrations.map(\.version)
        #expect(versions == Array(1...versions.count))
        #expect(StateSchema.currentVersion == versions.last)
    }

    @Test("migrating an empty database file creates every table and sets user_version")
    func fromEmptyFile() throws {
        let path = directory.file("empty.db").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let connection = try SQLiteConnection(path: path)
        defer { connection.close() }
        #expect(try StateSchema.userVersion(connection) == 0)
        try connection.inTransaction { () throws(StateError) in try StateSchema.migrate(connection, from: 0) }
        #expect(try StateSchema.userVersion(connection) == StateSchema.currentVersion)
        let tables = Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(0) })
        #expect(tables.isSuperset(of: StateSchema.requiredTables))
        // Already current: nothing to run.
        try connection.inTransaction { () throws(StateError) in
            try StateSchema.migrate(connection, from: StateSchema.currentVersion)
        }
        #expect(try StateSchema.userVersion(connection) == StateSchema.currentVersion)
    }

    @Test("a new state is at the current schema version, in WAL mode, with foreign keys on")
    func newStateVersion() throws {
        let store = try StateStore.open(at: directory.statePath, operation: "apply")
        defer { store.close() }
        try store.withConnection { connection throws(StateError) in
            #expect(try StateSchema.userVersion(connection) == StateSchema.currentVersion)
            #expect(try connection.queryFirst("PRAGMA journal_mode") { $0.text(0) } == "wal")
            #expect(try connection.queryFirst("PRAGMA synchronous") { $0.integer(0) } == 2)
            #expect(try connection.queryFirst("PRAGMA foreign_keys") { $0.integer(0) } == 1)
        }
    }

    @Test("the state's lineage row is mandatory: a schema without it is refused")
    func missingMeta() throws {
        let url = directory.statePath
        let store = try StateStore.open(at: url, operation: "apply")
        store.close()
        let connection = try SQLiteConnection(path: url.path)
        try connection.execute("DELETE FROM state_meta")
        connection.close()
        let error = stateError { () throws(StateError) in try StateStore.open(at: url, operation: "plan") }
        guard case .corrupt? = error else {
            Issue.record("expected .corrupt, got \(String(describing: error))")
            return
        }
    }
}
