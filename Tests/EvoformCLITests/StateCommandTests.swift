@testable import EvoformCLI
import EvoformCore
import EvoformState
import Foundation
import Testing

@Suite("evoform state")
struct StateCommandTests {
    let directory = WorkingDirectory()

    @Test("list prints one name per line, sorted")
    func list() async throws {
        try seedState(at: directory.defaultState, names: ["support01", "sales01", "helpdesk"])
        let result = await evoform(["state", "list"], in: directory)
        #expect(result.status == .success)
        #expect(result.standardOutput == "helpdesk\nsales01\nsupport01\n")
        #expect(result.standardError == "")
    }

    @Test("list --json prints an array of names")
    func listJSON() async throws {
        try seedState(at: directory.defaultState, names: ["sales01", "helpdesk"])
        let result = await evoform(["state", "list", "--json"], in: directory)
        #expect(result.status == .success)
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(result.standardOutput.utf8))
        #expect(parsed == ["helpdesk", "sales01"])
    }

    @Test("with no state, list is empty and creates nothing")
    func listWithoutState() async throws {
        let result = await evoform(["state", "list"], in: directory)
        #expect(result.status == .success)
        #expect(result.standardOutput == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
        let json = await evoform(["state", "list", "--json"], in: directory)
        #expect(json.standardOutput == "[]\n")
    }

    @Test("--state and EVOFORM_STATE choose the file")
    func chooseFile() async throws {
        let custom = directory.url.appendingPathComponent("envs/prod.db")
        try seedState(at: custom, names: ["prod01"])
        #expect(await evoform(["state", "list", "--state", "envs/prod.db"], in: directory).standardOutput == "prod01\n")
        #expect(await evoform(["state", "list", "-state=envs/prod.db"], in: directory).standardOutput == "prod01\n")
        #expect(await evoform(["state", "list"], in: directory, environment: ["EVOFORM_STATE": custom.path]).standardOutput == "prod01\n")
        #expect(await evoform(["state", "list"], in: directory).standardOutput == "")
    }

    @Test("show prints the record readably with secrets as (sensitive)")
    func show() async throws {
        let (_, instances) = try seedState(at: directory.defaultState, names: ["sales01"])
        let result = await evoform(["state", "show", "sales01"], in: directory)
        #expect(result.status == .success)
        let text = result.standardOutput
        #expect(text.hasPrefix("# sales01\n"))
        #expect(text.contains("server:       http://127.0.0.1:8080\n"))
        #expect(text.contains("api version:  v2\n"))
        #expect(text.contains("server id:    id-sales01\n"))
        #expect(text.contains("  token               = (sensitive)\n"))
        #expect(text.contains("  chatwoot.token      = (sensitive)\n"))
        #expect(text.contains("  webhook.url         = \"https://hooks.example.com/sales01\"\n"))
        #expect(text.contains("  webhook.events      = [\"CONNECTION_UPDATE\", \"MESSAGES_UPSERT\"]\n"))
        #expect(text.contains("  settings.rejectCall = true\n"))
        guard case .secret(let fingerprint)? = instances[0].configuration[.token] else {
            Issue.record("seeded token is not a fingerprint")
            return
        }
        #expect(!text.contains(fingerprint.rawValue))
    }

    @Test("show --json prints the record with secrets as fingerprints")
    func showJSON() async throws {
        let (_, instances) = try seedState(at: directory.defaultState, names: ["sales01"])
        let result = await evoform(["state", "show", "sales01", "--json"], in: directory)
        #expect(result.status == .success)
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(result.standardOutput.utf8))
        #expect(parsed["name"] == "sales01")
        #expect(parsed["configuration"] == instances[0].configuration.json)
    }

    @Test("an unknown name is an error with a suggestion")
    func showUnknown() async throws {
        try seedState(at: directory.defaultState, names: ["sales01", "support01"])
        let result = await evoform(["state", "show", "sales1"], in: directory)
        #expect(result.status == .failure)
        #expect(result.standardError == "Error: no instance \"sales1\" in the state; did you mean \"sales01\"?\n")
        let missingState = await evoform(["state", "show", "sales01", "--state", "nowhere.db"], in: directory)
        #expect(missingState.status == .failure)
        #expect(missingState.standardError.contains("no instance \"sales01\""))
    }

    @Test("rm forgets without touching the server, says so, and keeps a backup")
    func remove() async throws {
        try seedState(at: directory.defaultState, names: ["sales01", "support01", "helpdesk"])
        let result = await evoform(["state", "rm", "sales01", "helpdesk"], in: directory)
        #expect(result.status == .success)
        #expect(result.standardOutput.contains("Removed sales01 from the state. The instance on the server was not touched"))
        #expect(result.standardOutput.contains("Removed helpdesk from the state."))
        #expect(await evoform(["state", "list"], in: directory).standardOutput == "support01\n")
        let backup = StateStore.backupURL(for: directory.defaultState)
        let copy = try StateStore.open(at: backup, operation: "inspect", createIfMissing: false)
        defer { copy.close() }
        #expect(try copy.instances().map(\.name) == ["helpdesk", "sales01", "support01"])
    }

    @Test("rm of an unknown name removes nothing")
    func removeUnknown() async throws {
        try seedState(at: directory.defaultState, names: ["sales01", "support01"])
        let result = await evoform(["state", "rm", "sales01", "suport01"], in: directory)
        #expect(result.status == .failure)
        #expect(result.standardError.contains("did you mean \"support01\""))
        #expect(await evoform(["state", "list"], in: directory).standardOutput == "sales01\nsupport01\n")
    }

    @Test("mv renames a record")
    func move() async throws {
        try seedState(at: directory.defaultState, names: ["sales01", "support01"])
        let result = await evoform(["state", "mv", "sales01", "sales02"], in: directory)
        #expect(result.status == .success)
        #expect(result.standardOutput.contains("Moved sales01 to sales02"))
        #expect(result.standardOutput.contains("Nothing was changed on the server"))
        #expect(await evoform(["state", "list"], in: directory).standardOutput == "sales02\nsupport01\n")
        #expect(FileManager.default.fileExists(atPath: StateStore.backupURL(for: directory.defaultState).path))
    }

    @Test("mv refuses a taken name, an unknown name and a name the server would not accept")
    func moveRefused() async throws {
        try seedState(at: directory.defaultState, names: ["sales01", "support01"])
        let taken = await evoform(["state", "mv", "sales01", "support01"], in: directory)
        #expect(taken.status == .failure)
        #expect(taken.standardError.contains("already has an instance \"support01\""))
        let unknown = await evoform(["state", "mv", "sale01", "sales09"], in: directory)
        #expect(unknown.status == .failure)
        #expect(unknown.standardError.contains("did you mean \"sales01\""))
        let invalid = await evoform(["state", "mv", "sales01", "Sales-02"], in: directory)
        #expect(invalid.status == .usage)
        #expect(await evoform(["state", "list"], in: directory).standardOutput == "sales01\nsupport01\n")
    }

    @Test("pull prints the whole state as JSON, without the salt")
    func pull() async throws {
        let (lineage, instances) = try seedState(at: directory.defaultState, names: ["sales01"])
        let result = await evoform(["state", "pull"], in: directory)
        #expect(result.status == .success)
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(result.standardOutput.utf8))
        #expect(parsed["lineage"] == .string(lineage))
        #expect(parsed["serial"] == 1)
        #expect(parsed["instances"]?.arrayValue?.first?["configuration"] == instances[0].configuration.json)
        #expect(parsed["salt"] == nil)
        #expect(!result.standardOutput.contains("salt"))
    }

    @Test("pull with no state prints nothing and says so on standard error")
    func pullWithoutState() async {
        let result = await evoform(["state", "pull"], in: directory)
        #expect(result.status == .success)
        #expect(result.standardOutput == "")
        #expect(result.standardError.contains("No state at"))
    }

    @Test("a missing or unknown subcommand, or a wrong number of names, is a usage error", arguments: [
        (["state"], "missing subcommand; expected one of: list, show, rm, mv, pull"),
        (["state", "lst"], "unknown subcommand \"lst\"; did you mean \"list\"?"),
        (["state", "list", "extra"], "state list takes no arguments, got 1"),
        (["state", "show"], "state show NAME takes 1 argument, got 0"),
        (["state", "rm"], "state rm needs at least one instance name"),
        (["state", "mv", "a"], "state mv OLD NEW takes 2 arguments, got 1"),
        (["state", "list", "--lock-timeout", "later"], "option --lock-timeout takes a duration"),
    ])
    func usage(arguments: [String], message: String) async {
        let result = await evoform(arguments, in: directory)
        #expect(result.status == .usage)
        #expect(result.standardError.contains(message))
        #expect(result.standardError.contains("Run 'evoform state --help' for usage."))
    }

    @Test("a locked state is exit 3 naming the holder")
    func locked() async throws {
        let holder = try StateStore.open(at: directory.defaultState, operation: "apply")
        defer { holder.close() }
        let result = await evoform(["state", "rm", "sales01"], in: directory)
        #expect(result.status == .locked)
        #expect(result.standardError.contains("is locked by pid \(getpid()) on host "))
        #expect(result.standardError.contains("running \"apply\" since "))
        let waited = await evoform(["state", "rm", "sales01", "--lock-timeout", "200ms"], in: directory)
        #expect(waited.status == .locked)
        #expect(waited.standardError.contains("Waiting up to 200ms for the state lock held by pid \(getpid())"))
        // Readers do not need the lock: they read what the holder has committed, and say so.
        let list = await evoform(["state", "list"], in: directory)
        #expect(list.status == .success)
        #expect(list.standardError.hasPrefix("Note: the state is held by pid \(getpid()) on host "))
    }

    @Test("a damaged state is a clear error naming the file and the backup")
    func damaged() async throws {
        try FileManager.default.createDirectory(at: directory.defaultState.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("this is not a database, it is a shopping list".utf8).write(to: directory.defaultState)
        let result = await evoform(["state", "list"], in: directory)
        #expect(result.status == .failure)
        #expect(result.standardError.contains(directory.defaultState.path))
        #expect(result.standardError.contains("cp \(directory.defaultState.path).backup"))
        #expect(try String(contentsOf: directory.defaultState, encoding: .utf8) == "this is not a database, it is a shopping list")
    }

    @Test("help lists the state commands and the subcommands")
    func help() async {
        let overview = await evoform(["--help"], in: directory)
        #expect(overview.standardOutput.contains("  state "))
        #expect(overview.standardOutput.contains("  force-unlock "))
        let help = await evoform(["state", "--help"], in: directory)
        #expect(help.status == .success)
        for word in ["list", "show NAME", "rm NAME", "mv OLD NEW", "pull", "--lock-timeout", "--state"] {
            #expect(help.standardOutput.contains(word))
        }
    }
}

@Suite("evoform force-unlock")
struct ForceUnlockCommandTests {
    let directory = WorkingDirectory()

    func writeRecord(_ holder: LockHolder) throws {
        let path = StateStore.lockURL(for: directory.defaultState).path
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(holder.recordText.utf8))
        try handle.close()
    }

    var stranger: LockHolder {
        LockHolder(pid: 4242, host: "other-host", user: "bob", operation: "apply", since: Date(timeIntervalSince1970: 1e9))
    }

    @Test("with no lock there is nothing to do")
    func notLocked() async {
        let result = await evoform(["force-unlock"], in: directory)
        #expect(result.status == .success)
        #expect(result.standardOutput.contains("is not locked; nothing to do"))
    }

    @Test("a leftover record from a dead run is cleared")
    func leftoverRecord() async throws {
        try seedState(at: directory.defaultState, names: [])
        try writeRecord(stranger)
        let result = await evoform(["force-unlock"], in: directory)
        #expect(result.status == .success)
        #expect(result.standardOutput.contains("was not locked. Cleared the record left by pid 4242 on host other-host"))
        #expect(try Data(contentsOf: StateStore.lockURL(for: directory.defaultState)).isEmpty)
    }

    @Test("a live run's lock is never broken")
    func liveHolder() async throws {
        let holder = try StateStore.open(at: directory.defaultState, operation: "apply")
        defer { holder.close() }
        let result = await evoform(["force-unlock", "--force"], in: directory)
        #expect(result.status == .locked)
        #expect(result.standardError.contains("still running on this host"))
        #expect(result.standardError.contains("kill \(getpid())"))
    }

    @Test("a lock whose holder is not running here is broken only with --force or a yes")
    func orphanedLock() async throws {
        let holder = try StateStore.open(at: directory.defaultState, operation: "apply")
        defer { holder.close() }
        try writeRecord(stranger)

        let refused = await evoform(["force-unlock"], in: directory)
        #expect(refused.status == .locked)
        #expect(refused.standardError.contains("evoform force-unlock --force"))

        let declined = await evoform(["force-unlock"], in: directory, answers: ["no"], inputIsTerminal: true)
        #expect(declined.status == .locked)
        #expect(declined.standardOutput.contains("Type 'yes' to break the lock"))
        #expect(await evoform(["state", "rm", "nothing-here"], in: directory).status == .locked)

        let confirmed = await evoform(["force-unlock"], in: directory, answers: ["yes"], inputIsTerminal: true)
        #expect(confirmed.status == .success)
        #expect(confirmed.standardOutput.contains("Broke the lock held by pid 4242 on host other-host"))
        #expect(await evoform(["state", "list"], in: directory).status == .success)
    }

    @Test("--force breaks an orphaned lock without asking")
    func forced() async throws {
        let holder = try StateStore.open(at: directory.defaultState, operation: "apply")
        defer { holder.close() }
        try writeRecord(stranger)
        let result = await evoform(["force-unlock", "--force"], in: directory)
        #expect(result.status == .success)
        #expect(await evoform(["state", "list"], in: directory).status == .success)
    }
}
