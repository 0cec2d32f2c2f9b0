import EvoformCore
import EvoformManifest

/// `evoform schema`: prints the manifest's JSON Schema, generated from the validator's own tables.
struct SchemaCommand: Command {
    static let name = "schema"
    static let abstract = "Print the JSON Schema of the manifest, for editors and CI."
    static let synopsis = ""
    static let discussion = """
        Prints a JSON Schema (draft 2020-12) of the manifest: every key and spelling an instance
        accepts, their types, the instance name and token patterns, the event names and the
        documentation of each field. Editors use it for completion and inline errors:

          evoform schema > evoform.schema.json

        then put "$schema": "./evoform.schema.json" at the top of the manifest (evoform ignores
        that key). The schema cannot check what depends on several places at once (unique names
        and tokens, settings that need another one once defaults are merged, events of one server
        version, the values of ${VAR}s): evoform validate checks all of it.
        """
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        if let extra = arguments.positionals.first {
            throw UsageError("schema takes no arguments, but got \"\(extra)\"; redirect the output to a file", command: name)
        }
        context.standardOutput.line(ManifestSchema.document.prettyText())
        return .success
    }
}
