import EvoformCore

/// The one place that turns an error into text on standard error and an exit code.
public struct ErrorPresenter: Sendable {
    public var standardError: TextSink
    public var useColor: Bool

    public init(standardError: TextSink, useColor: Bool) {
        self.standardError = standardError
        self.useColor = useColor
    }

    public func present(_ error: any Error) -> ExitStatus {
        let prefix = useColor ? "\u{1B}[1;31mError:\u{1B}[0m " : "Error: "
        switch error {
        case let usage as UsageError:
            standardError.line(prefix + usage.userMessage)
            let help = usage.command.map { "evoform \($0) --help" } ?? "evoform --help"
            standardError.line("Run '\(help)' for usage.")
            return .usage
        case let known as any UserFacingError:
            standardError.line(prefix + known.userMessage)
            return known.exitStatus
        default:
            standardError.line(prefix + String(describing: error))
            return .failure
        }
    }
}
