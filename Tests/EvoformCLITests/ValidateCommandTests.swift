import EvoformCore
import Foundation
import Testing

@testable import EvoformCLI

/// `evoform validate`, run in-process with captured output.
@Suite struct ValidateCommandTests {
    struct Run {
        var status: EvoformCore.ExitStatus
        var output: String
        var error: String
    }

    /// A fresh working directory holding the given files.
    static func directory(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evoform-validate-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }

    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async -> Run {
        let output = TextSink(capturingAsTerminal: false)
        let error = TextSink(capturingAsTerminal: false)
        let context = CommandContext(
            environment: environment, workingDirectory: directory, standardOutput: output, standardError: error)
        let status = await Evoform.main(arguments: arguments, context: context)
        return Run(status: status, output: output.text, error: error.text)
    }

    static let valid = #"{"instances": [{"instanceName": "sales01", "token": "${SALES01_TOKEN}", "qrcode": true}]}"#
    static let invalid = """
        {
          "instances": [
            { "instanceName": "Sales01", "events": ["MESSAGE_UPSERT"] },
            { "instanceName": "ok2", "token": "${TOKEN}" }
          ]
        }
        """

    @Test func aValidManifestSucceedsAndWarnsAboutUnsetVariables() async throws {
        let directory = try Self.directory(["fleet.json": Self.valid])
        let run = await Self.run(["validate", "-f", "fleet.json"], in: directory)
        #expect(run.status == .success)
        #expect(run.output == "Success! The manifest is valid (1 instance).\n")
        #expect(
            run.error
                == "Warning: fleet.json:1:53: instances[0].token: environment variable SALES01_TOKEN is not set; checks that need its value were skipped (plan and apply will require it)\n"
        )
    }

    @Test func withTheVariablesSetThereIsNothingOnStandardError() async throws {
        let directory = try Self.directory(["fleet.json": Self.valid])
        let run = await Self.run(["validate", "--file=fleet.json"], in: directory, environment: ["SALES01_TOKEN": "abc-1"])
        #expect(run.status == .success)
        #expect(run.error.isEmpty)
    }

    @Test func findsTheManifestByFlagThenEnvironmentThenDefaultName() async throws {
        let directory = try Self.directory([
            "evoform.json": #"{"instances": [{"instanceName": "a1"}]}"#,
            "other.json": #"{"instances": [{"instanceName": "b1"}, {"instanceName": "b2"}]}"#,
            "third.jsonc": #"{"instances": [] /* none yet */}"#,
        ])
        let byDefault = await Self.run(["validate"], in: directory)
        #expect(byDefault.output == "Success! The manifest is valid (1 instance).\n")
        let byEnvironment = await Self.run(["validate"], in: directory, environment: ["EVOFORM_FILE": "other.json"])
        #expect(byEnvironment.output == "Success! The manifest is valid (2 instances).\n")
        let byFlag = await Self.run(
            ["validate", "-f", "third.jsonc"], in: directory, environment: ["EVOFORM_FILE": "other.json"])
        #expect(byFlag.output == "Success! The manifest is valid (0 instances).\n")
        let absolute = await Self.run(["validate", "-file=" + directory.appendingPathComponent("other.json").path], in: URL(fileURLWithPath: "/"))
        #expect(absolute.status == .success)
    }

    @Test func anInvalidManifestPrintsEveryProblemAndFails() async throws {
        let directory = try Self.directory(["evoform.json": Self.invalid])
        let run = await Self.run(["validate"], in: directory)
        #expect(run.status == .failure)
        #expect(run.output.isEmpty)
        #expect(
            run.error == """
                Warning: evoform.json:4:39: instances[1].token: environment variable TOKEN is not set; checks that need its value were skipped (plan and apply will require it)
                Error: evoform.json is not a valid manifest (3 errors):
                evoform.json:3:23: instances[0].instanceName: instanceName "Sales01" has uppercase letters; names are lowercase letters and digits only: did you mean "sales01"?
                evoform.json:3:44: instances[0].events: "events" needs a webhook; add "webhook": "https://..." to this instance, or remove "events"
                evoform.json:3:45: instances[0].events[0]: unknown event "MESSAGE_UPSERT"; did you mean "MESSAGES_UPSERT"?

                """)
    }

    @Test func jsonReportsAValidManifest() async throws {
        let directory = try Self.directory(["fleet.json": Self.valid])
        let run = await Self.run(["validate", "-f", "fleet.json", "--json"], in: directory)
        #expect(run.status == .success)
        #expect(run.error.isEmpty)
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(run.output.utf8))
        #expect(report["valid"] == .bool(true))
        #expect(report["instances"] == .number(1))
        #expect(report["diagnostics"]?.arrayValue?.count == 1)
        #expect(report["diagnostics"]?.arrayValue?.first?["severity"] == .string("warning"))
        #expect(run.output == report.canonicalText + "\n")
    }

    @Test func jsonReportsEveryDiagnosticOfAnInvalidManifest() async throws {
        let directory = try Self.directory(["evoform.json": Self.invalid])
        let run = await Self.run(["validate", "-json"], in: directory)
        #expect(run.status == .failure)
        #expect(run.error.isEmpty)
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(run.output.utf8))
        #expect(report["valid"] == .bool(false))
        #expect(report["instances"] == .number(2))
        let diagnostics = report["diagnostics"]?.arrayValue ?? []
        #expect(diagnostics.map { $0["severity"]?.stringValue } == ["error", "error", "error", "warning"])
        #expect(
            diagnostics[0]
                == .object([
                    "file": "evoform.json", "line": 3, "column": 23, "path": "instances[0].instanceName",
                    "severity": "error",
                    "message":
                        "instanceName \"Sales01\" has uppercase letters; names are lowercase letters and digits only: did you mean \"sales01\"?",
                ]))
    }

    @Test func aMissingFileFailsNamingThePath() async throws {
        let directory = try Self.directory([:])
        let run = await Self.run(["validate", "-f", "nope.json"], in: directory)
        #expect(run.status == .failure)
        #expect(
            run.error
                == "Error: nope.json: no such file; create the manifest, or name another one with -f FILE or EVOFORM_FILE\n")
        let json = await Self.run(["validate", "--json"], in: directory)
        #expect(json.status == .failure)
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(json.output.utf8))
        #expect(report["valid"] == .bool(false))
        #expect(report["diagnostics"]?.arrayValue?.first?["file"] == .string("evoform.json"))
    }

    @Test func aSyntaxErrorIsOneLine() async throws {
        let directory = try Self.directory(["evoform.json": "{\n  \"instances\": [\n}\n"])
        let run = await Self.run(["validate"], in: directory)
        #expect(run.status == .failure)
        #expect(
            run.error
                == "Error: evoform.json:3:1: instances[0]: expected a value, found \"}\"\n")
    }

    @Test func secretsReadFromTheEnvironmentAreNeverPrinted() async throws {
        let directory = try Self.directory([
            "evoform.json": #"""
                {"server": {"url": "${URL}", "apiKey": "${KEY}"},
                 "instances": [{"instanceName": "a1", "token": "${TOKEN}", "chatwoot_account_id": "${ACCOUNT}",
                                "chatwoot_token": "${CW}", "chatwoot_url": "https://c.example.com"}]}
                """#
        ])
        let environment = [
            "URL": "not a url SECRET-URL", "KEY": "SECRET-KEY", "TOKEN": "bad token SECRET-TOKEN",
            "ACCOUNT": "SECRET-ACCOUNT", "CW": "SECRET-CW",
        ]
        for arguments in [["validate"], ["validate", "--json"]] {
            let run = await Self.run(arguments, in: directory, environment: environment)
            #expect(run.status == .failure)
            #expect(!(run.output + run.error).contains("SECRET-"), "\(run.output)\(run.error)")
        }
    }

    @Test func rejectsArgumentsAndUnknownOptions() async throws {
        let directory = try Self.directory([:])
        let positional = await Self.run(["validate", "fleet.json"], in: directory)
        #expect(positional.status == .usage)
        #expect(positional.error.contains("validate takes no arguments"))
        let unknown = await Self.run(["validate", "--jsn"], in: directory)
        #expect(unknown.status == .usage)
        #expect(unknown.error.contains("did you mean --json?"))
    }

    @Test func isListedAndHasHelp() async throws {
        let directory = try Self.directory([:])
        let overview = await Self.run(["--help"], in: directory)
        #expect(overview.output.contains("  validate  "))
        let help = await Self.run(["validate", "--help"], in: directory)
        #expect(help.status == .success)
        #expect(help.output.hasPrefix("Usage: evoform validate [-f FILE] [--json]"))
    }

    @Test func aWarningRepeatedAcrossABigFleetListsItsFirstPlacesThenCountsTheRest() async throws {
        let instances = (0..<10).map { #"    {"instanceName": "i\#($0)", "token": "literal-\#($0)"}"# }
        let directory = try Self.directory(["fleet.json": "{\"instances\": [\n" + instances.joined(separator: ",\n") + "\n]}"])
        let run = await Self.run(["validate", "-f", "fleet.json"], in: directory)
        #expect(run.status == .success)
        let lines = run.error.split(separator: "\n")
        #expect(lines.count == 4, "\(run.error)")
        #expect(lines.prefix(3).map { $0.hasPrefix("Warning: fleet.json:") && $0.contains("].token: this secret is written") } == [true, true, true])
        #expect(lines.last == "Warning: fleet.json: 7 more like the above: this secret is written in the file; use ${VAR} to read it from the environment, so the file is safe to commit")
        #expect(!run.error.contains("literal-"))
        let json = await Self.run(["validate", "-f", "fleet.json", "--json"], in: directory)
        #expect(json.output.components(separatedBy: "this secret is written").count - 1 == 10)
    }

    @Test func loadManifestRequiresVariablesForOtherCommands() throws {
        let directory = try Self.directory(["evoform.json": Self.valid])
        let error = TextSink(capturingAsTerminal: false)
        let context = CommandContext(
            environment: [:], workingDirectory: directory, standardOutput: TextSink(), standardError: error)
        #expect(throws: (any Error).self) { try context.loadManifest(ParsedArguments()) }
        let loaded = try context.loadManifest(ParsedArguments(), requireVariables: false)
        #expect(loaded.manifest.instances.count == 1)
        #expect(error.text.hasPrefix("Warning: evoform.json:1:53: instances[0].token: environment variable SALES01_TOKEN"))
        let file = try context.manifestFile(ParsedArguments(values: ["file": ["x/y.json"]]))
        #expect(file.displayPath == "x/y.json")
        #expect(file.url == directory.appendingPathComponent("x/y.json"))
    }
}
