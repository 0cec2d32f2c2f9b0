import EvoformCore
import EvoformManifest

/// `evoform validate`: reads the manifest and reports every problem, without contacting a server
/// or touching the state. Unset `${VAR}`s are only warnings, so it runs in a pull request that
/// has no secrets.
struct ValidateCommand: Command {
    static let name = "validate"
    static let abstract = "Check the manifest without contacting the server."
    static let synopsis = "[-f FILE] [--json]"
    static let discussion = """
        Reports every problem at once, as FILE:LINE:COL: PATH: message, on standard error:
        syntax, types, unknown keys, instance names, tokens, URLs, events and Chatwoot settings.
        Environment variables that are not set are warnings here (plan and apply require them),
        and secrets written literally in the file are warnings.
        Exit status: 0 when the manifest is valid (warnings allowed), 1 when it is not.
        --json prints {"valid", "instances", "diagnostics"} on standard output instead.
        """
    static let options: [OptionSpec] = [CommonOptions.file, CommonOptions.json]

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        if let extra = arguments.positionals.first {
            throw UsageError("validate takes no arguments, but got \"\(extra)\"; name the manifest with -f FILE", command: name)
        }
        guard arguments.flag(CommonOptions.json.name) else {
            let loaded = try context.loadManifest(arguments, requireVariables: false)
            let count = loaded.manifest.instances.count
            context.standardOutput.line(
                "Success! The manifest is valid (\(count) \(count == 1 ? "instance" : "instances")).")
            return .success
        }
        let file = try context.manifestFile(arguments)
        let report: JSONValue
        let status: ExitStatus
        do {
            let loaded = try ManifestLoader.load(
                fileAt: file.url, displayPath: file.displayPath, environment: context.environment,
                requireVariables: false)
            report = result(valid: true, instances: loaded.manifest.instances.count, diagnostics: loaded.warnings)
            status = .success
        } catch {
            report = result(valid: false, instances: error.instanceCount, diagnostics: error.diagnostics)
            status = .failure
        }
        context.standardOutput.line(report.canonicalText)
        return status
    }

    private static func result(valid: Bool, instances: Int, diagnostics: [Diagnostic]) -> JSONValue {
        .object([
            "valid": .bool(valid),
            "instances": .number(Double(instances)),
            "diagnostics": .array(diagnostics.map(\.json)),
        ])
    }
}
