// evoform-state-probe: a child process for the state tests and the recording benchmark.
// Not part of the product; see Sources/EvoformState/README.md.
//
//   evoform-state-probe hold STATE OPERATION     take the lock, print "locked PID", keep it until
//                                                a line "release" (or end of input) on stdin
//   evoform-state-probe open STATE OPERATION     open once: exit 0 ("opened") or the error's exit
//                                                status with its message on stderr
//   evoform-state-probe write-loop STATE PREFIX  record instances PREFIX1, PREFIX2... forever, one apply-like journal
//                                                round per instance; print "committed NAME" after each
//   evoform-state-probe bench-record N STATE     record N instances, one transaction each, and
//                                                print the time taken
import EvoformCore
import EvoformState
import Foundation

func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func fail(_ error: StateError) -> Never {
    FileHandle.standardError.write(Data(("Error: " + error.userMessage + "\n").utf8))
    exit(error.exitStatus.rawValue)
}

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: evoform-state-probe hold|open|write-loop|bench-record ...\n".utf8))
    exit(64)
}

func sampleInstance(_ name: String, fingerprinter: SecretFingerprinter) -> ManagedInstance {
    var configuration = InstanceConfiguration()
    configuration[.qrcode] = .bool(true)
    configuration[.token] = .secret(fingerprinter.fingerprint(Secret("probe-token-\(name)")))
    configuration[.webhookURL] = .string("https://hooks.example.com/\(name)")
    configuration[.webhookEnabled] = .bool(true)
    configuration[.webhookEvents] = .events(.only(["MESSAGES_UPSERT", "CONNECTION_UPDATE"]))
    configuration[.rejectCall] = .bool(false)
    return ManagedInstance(
        name: InstanceName(name), serverURL: "http://127.0.0.1:8080", apiVersion: .v2, serverID: "id-\(name)",
        configuration: configuration)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let verb = arguments.first else { usage() }

do throws(StateError) {
    switch verb {
    case "hold":
        guard arguments.count == 3 else { usage() }
        let store = try StateStore.open(at: URL(fileURLWithPath: arguments[1]), operation: arguments[2])
        say("locked \(getpid())")
        while let line = readLine(), line != "release" {}
        store.close()
        say("released")
    case "open":
        guard arguments.count == 3 else { usage() }
        let store = try StateStore.open(at: URL(fileURLWithPath: arguments[1]), operation: arguments[2])
        store.close()
        say("opened")
    case "write-loop":
        guard arguments.count == 3 else { usage() }
        let store = try StateStore.open(at: URL(fileURLWithPath: arguments[1]), operation: "apply")
        say("locked \(getpid())")
        var index = 0
        while true {
            index += 1
            let name = "\(arguments[2])\(index)"
            let id = try store.journalIntent(instance: InstanceName(name), action: .create, requestFingerprint: "request-\(name)")
            try store.journalOutcome(id, outcome: .done, change: .record(sampleInstance(name, fingerprinter: store.fingerprinter)))
            say("committed \(name)")
        }
    case "bench-record":
        guard arguments.count == 3, let count = Int(arguments[1]), count > 0 else { usage() }
        let url = URL(fileURLWithPath: arguments[2])
        guard !FileManager.default.fileExists(atPath: url.path) else {
            FileHandle.standardError.write(Data("bench-record wants a new state file; \(url.path) exists\n".utf8))
            exit(1)
        }
        let store = try StateStore.open(at: url, operation: "bench")
        let fingerprinter = store.fingerprinter
        let instances = (1...count).map { sampleInstance("bench\($0)", fingerprinter: fingerprinter) }
        let clock = ContinuousClock()
        let start = clock.now
        for instance in instances { try store.record(instance) }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let serial = store.serial
        store.close()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        say(
            String(
                format: "recorded %d instances, one transaction each (WAL, synchronous=FULL): %.2f s, %.0f records/s, "
                    + "%.3f ms per record (process CPU %.2f s in all); serial %d",
                count, seconds, Double(count) / seconds, seconds * 1000 / Double(count), cpu, serial))
    default:
        usage()
    }
} catch {
    fail(error)
}
