import EvoformCore
import EvoformPlanner

/// What the applier reports as it works; renderers turn these into progress lines or JSON lines.
public enum ApplyEvent: Sendable {
    /// A change started.
    case started(InstanceName, ChangeAction)
    /// One server call finished (`POST /instance/create`, ...).
    case called(InstanceName, String)
    /// A change finished; `elapsed` in seconds.
    case finished(InstanceName, ChangeAction, elapsed: Double)
    /// A change failed; the other instances go on.
    case failed(ApplyFailure)
    /// A create returned a QR code to pair the phone with.
    case qrCode(InstanceName, code: String?, png: [UInt8]?)
    /// An unfinished call of an earlier run was resolved.
    case recovered(InstanceName, String)
    /// Something a person should know that is not a failure.
    case warning(InstanceName?, String)
}

/// One change that did not complete.
public struct ApplyFailure: Sendable, Hashable {
    public var name: InstanceName
    public var action: ChangeAction
    /// A complete message: endpoint, status, the server's words; never a secret.
    public var message: String

    public init(name: InstanceName, action: ChangeAction, message: String) {
        self.name = name
        self.action = action
        self.message = message
    }
}

/// The outcome of a whole apply.
public struct ApplyReport: Sendable, Hashable {
    public var completed: [ChangeAction: Int] = [:]
    public var failures: [ApplyFailure] = []
    /// Changes not started because the run was interrupted.
    public var skipped: [InstanceName] = []

    public init() {}

    public func count(_ action: ChangeAction) -> Int { completed[action] ?? 0 }

    public var succeeded: Bool { failures.isEmpty && skipped.isEmpty }
}
