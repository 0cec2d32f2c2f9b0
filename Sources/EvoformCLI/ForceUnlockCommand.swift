import EvoformCore
import EvoformState
import Foundation

/// `evoform force-unlock`: the rare repair for a state lock that the OS did not release.
struct ForceUnlockCommand: Command {
    static let name = "force-unlock"
    static let abstract = "Clear a state lock that no running evoform holds (rarely needed)."
    static let synopsis = "[--state PATH] [--force]"
    static let discussion = """
        evoform locks the state with an OS lock (flock) on <state>.lock for the whole run. The
        kernel releases it when the process exits in any way, kill -9 included, so a crashed run
        never leaves a stale lock: wait for the other run (e.g. 'evoform apply --lock-timeout 5m').
        The lock file also records who holds it (pid, host, user, operation, start time) for error
        messages.

        force-unlock:
          - if no process holds the lock: clears the holder record left in the lock file, and
            says whose it was;
          - if the holder recorded in the file is a live process on this host: refuses (exit 3).
            Stop that process instead; its lock ends with it;
          - if the lock is held but not by a process running on this host (a run on another
            host sharing the folder, or a process that inherited the lock): asks for "yes" on a
            terminal (or takes --force), then removes the lock file so the next run locks a
            fresh one. Only do this when you are sure no other run is using the state: two runs
            at once could interleave their changes.
        """
    static let options: [OptionSpec] = [
        CommonOptions.state,
        .flag("force", help: "Break a lock whose holder is not running on this host without asking."),
    ]

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        let url = try context.stateURL(arguments, command: name)
        let result: ForceUnlockResult
        switch try attempt(url, breakHeldLock: arguments.flag("force")) {
        case .finished(let finished):
            result = finished
        case .held(let holder, let statePath):
            let who = holder.map { "by \($0.summary), which is not running on this host" } ?? "by a process that left no details"
            guard context.inputIsTerminal else {
                throw ForceUnlockRefusal(
                    message: """
                        the state \(statePath) is locked \(who). \
                        If you are sure no other run is using the state, run evoform force-unlock --force.
                        """)
            }
            context.standardOutput.line("The state \(statePath) is locked \(who).")
            context.standardOutput.line("Breaking the lock lets another run use the state; only do it if none is running.")
            context.standardOutput.write("Type 'yes' to break the lock: ")
            guard context.readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                throw ForceUnlockRefusal(message: "the lock was kept (you did not answer yes)")
            }
            result = try StateStore.forceUnlock(at: url, breakHeldLock: true)
        }
        switch result {
        case .wasFree(leftover: nil):
            context.standardOutput.line("The state \(url.path) is not locked; nothing to do.")
        case .wasFree(leftover: let holder?):
            context.standardOutput.line(
                "The state \(url.path) was not locked. Cleared the record left by \(holder.summary).")
        case .broken(let holder):
            let who = holder.map { " held by \($0.summary)" } ?? ""
            context.standardOutput.line("Broke the lock\(who) on \(url.path); the next run takes a fresh lock.")
        }
        return .success
    }
}

extension ForceUnlockCommand {
    enum Attempt {
        case finished(ForceUnlockResult)
        /// Held by a process not running on this host, and not allowed to break it yet.
        case held(LockHolder?, statePath: String)
    }

    static func attempt(_ url: URL, breakHeldLock: Bool) throws(StateError) -> Attempt {
        do {
            return .finished(try StateStore.forceUnlock(at: url, breakHeldLock: breakHeldLock))
        } catch {
            guard case .locked(let holder, let statePath) = error else { throw error }
            return .held(holder, statePath: statePath)
        }
    }
}

/// `force-unlock` declined to break a held lock.
struct ForceUnlockRefusal: UserFacingError {
    var message: String
    var userMessage: String { message }
    var exitStatus: ExitStatus { .locked }
}
