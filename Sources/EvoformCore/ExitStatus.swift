/// Process exit codes, exactly as `INTERFACE.md` promises them to pipelines.
public struct ExitStatus: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Success; for `plan --detailed-exitcode`: no changes.
    public static let success = ExitStatus(rawValue: 0)
    /// Bad manifest, server or network failure, partial apply failure.
    public static let failure = ExitStatus(rawValue: 1)
    /// `plan --detailed-exitcode`: changes present.
    public static let changesPresent = ExitStatus(rawValue: 2)
    /// The state is locked by another run.
    public static let locked = ExitStatus(rawValue: 3)
    /// A saved plan no longer matches the state or manifest; nothing was done.
    public static let stalePlan = ExitStatus(rawValue: 4)
    /// Bad command line.
    public static let usage = ExitStatus(rawValue: 64)
}

/// An error that knows how to explain itself to a user. Every module's error type conforms;
/// the CLI's one presenter prints `userMessage` and exits with `exitStatus`.
public protocol UserFacingError: Error {
    /// A complete message: what went wrong, about what, and how to fix it. Never a secret.
    var userMessage: String { get }
    /// The exit code this error ends the process with.
    var exitStatus: ExitStatus { get }
}

extension UserFacingError {
    public var exitStatus: ExitStatus { .failure }
}
