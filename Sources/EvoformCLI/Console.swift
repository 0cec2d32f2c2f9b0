import Foundation

/// Where a command writes text. Injected so tests can capture output and the real binary writes
/// to the process's file handles.
public final class TextSink: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle?
    private var captured = ""
    /// Whether this sink is a terminal (decides colour and prompts).
    public let isTerminal: Bool

    /// A sink writing to a file handle.
    public init(handle: FileHandle, isTerminal: Bool) {
        self.handle = handle
        self.isTerminal = isTerminal
    }

    /// A sink that keeps everything in memory, for tests.
    public init(capturingAsTerminal isTerminal: Bool = false) {
        self.handle = nil
        self.isTerminal = isTerminal
    }

    public func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if let handle {
            handle.write(Data(text.utf8))
        } else {
            captured += text
        }
    }

    /// Writes `text` followed by a newline.
    public func line(_ text: String = "") { write(text + "\n") }

    /// What a capturing sink received.
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return captured
    }
}

/// Everything a command may touch of the outside world.
public struct CommandContext: Sendable {
    public var environment: [String: String]
    public var workingDirectory: URL
    public var standardOutput: TextSink
    public var standardError: TextSink
    /// Reads one line of user input (a confirmation); nil when there is none.
    public var readLine: @Sendable () -> String?
    /// Whether standard input is a terminal a person can answer from.
    public var inputIsTerminal: Bool

    public init(
        environment: [String: String], workingDirectory: URL, standardOutput: TextSink, standardError: TextSink,
        readLine: @escaping @Sendable () -> String? = { nil }, inputIsTerminal: Bool = false
    ) {
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.readLine = readLine
        self.inputIsTerminal = inputIsTerminal
    }

    /// The real process: its environment, working directory, stdout/stderr and stdin.
    public static func process() -> CommandContext {
        CommandContext(
            environment: ProcessInfo.processInfo.environment,
            workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            standardOutput: TextSink(handle: .standardOutput, isTerminal: isatty(1) == 1),
            standardError: TextSink(handle: .standardError, isTerminal: isatty(2) == 1),
            readLine: { Swift.readLine(strippingNewline: true) },
            inputIsTerminal: isatty(0) == 1
        )
    }

    /// Resolves a path given on the command line against the working directory.
    public func resolve(path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return workingDirectory.appendingPathComponent(path)
    }

    /// Colour is used only on a terminal, and never with `NO_COLOR` set or `--no-color`.
    public func useColor(noColorFlag: Bool) -> Bool {
        !noColorFlag && standardOutput.isTerminal && environment["NO_COLOR"] == nil
    }
}
