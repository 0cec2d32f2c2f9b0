import EvoformCore
import EvoformManifest
import Foundation
import Testing

@testable import EvoformCLI

/// `evoform fmt` and `evoform schema`, run in-process.
@Suite struct FmtCommandTests {
    static let messy = "{\"instances\":[ {\"instanceName\":\"sales01\", // first\n\"qrcode\":true,},],}"
    static let formatted = "{\n  \"instances\": [\n    {\n      \"instanceName\": \"sales01\", // first\n      \"qrcode\": true\n    }\n  ]\n}\n"

    func write(_ text: String, to name: String, in directory: WorkingDirectory) throws -> URL {
        let url = directory.url.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func contents(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    func leftovers(in directory: WorkingDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasPrefix(".") }
    }

    @Test func rewritesTheFileInPlaceAndNamesIt() async throws {
        let directory = WorkingDirectory()
        let url = try write(Self.messy, to: "fleet.json", in: directory)
        let run = await evoform(["fmt", "-f", "fleet.json"], in: directory)
        #expect(run.status == .success)
        #expect(run.standardOutput == "fleet.json\n")
        #expect(run.standardError.isEmpty)
        #expect(try contents(url) == Self.formatted)
        #expect(try leftovers(in: directory).isEmpty, "no temporary file is left behind")
        let again = await evoform(["fmt", "-f", "fleet.json"], in: directory)
        #expect(again.status == .success)
        #expect(again.standardOutput.isEmpty, "an already formatted file is not rewritten or named")
    }

    @Test func theDefaultFileIsEvoformJSONOrEVOFORM_FILE() async throws {
        let directory = WorkingDirectory()
        let standard = try write(Self.messy, to: "evoform.json", in: directory)
        let chosen = try write(Self.messy, to: "other.jsonc", in: directory)
        #expect(await evoform(["fmt"], in: directory).standardOutput == "evoform.json\n")
        #expect(try contents(standard) == Self.formatted)
        #expect(await evoform(["fmt"], in: directory, environment: ["EVOFORM_FILE": "other.jsonc"]).standardOutput == "other.jsonc\n")
        #expect(try contents(chosen) == Self.formatted)
    }

    @Test func checkExitsOneAndNamesAnUnformattedFileWithoutTouchingIt() async throws {
        let directory = WorkingDirectory()
        let url = try write(Self.messy, to: "fleet.json", in: directory)
        let run = await evoform(["fmt", "--check", "-f", "fleet.json"], in: directory)
        #expect(run.status == .failure)
        #expect(run.standardOutput == "fleet.json\n")
        #expect(run.standardError.contains("evoform fmt -f fleet.json"))
        #expect(try contents(url) == Self.messy)
        // Terraform spelling, and a formatted file.
        try Data(Self.formatted.utf8).write(to: url)
        let clean = await evoform(["fmt", "-check", "-f", "fleet.json"], in: directory)
        #expect(clean.status == .success)
        #expect(clean.standardOutput.isEmpty && clean.standardError.isEmpty)
    }

    @Test func invalidJSONCIsReportedAsValidateDoesAndTheFileIsUntouched() async throws {
        let directory = WorkingDirectory()
        let broken = "{\n  \"instances\": [\n    { \"instanceName\": \"sales01\" \"qrcode\": true }\n  ]\n}\n"
        let url = try write(broken, to: "fleet.json", in: directory)
        let validate = await evoform(["validate", "-f", "fleet.json"], in: directory)
        #expect(validate.status == .failure)
        for arguments in [["fmt", "-f", "fleet.json"], ["fmt", "--check", "-f", "fleet.json"]] {
            let run = await evoform(arguments, in: directory)
            #expect(run.status == .failure)
            #expect(run.standardOutput.isEmpty)
            #expect(run.standardError == validate.standardError)
            #expect(run.standardError.hasPrefix("Error: fleet.json:3:33: instances[0].instanceName: expected \",\" or \"}\""))
        }
        #expect(try contents(url) == broken)
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func aMissingFileIsAnErrorNamingIt() async throws {
        let directory = WorkingDirectory()
        let run = await evoform(["fmt", "-f", "nope.json"], in: directory)
        #expect(run.status == .failure)
        #expect(run.standardError.hasPrefix("Error: nope.json: no such file"))
    }

    @Test func argumentsAreAUsageError() async throws {
        let directory = WorkingDirectory()
        #expect(await evoform(["fmt", "fleet.json"], in: directory).status == .usage)
        #expect(await evoform(["fmt", "--diff"], in: directory).status == .usage)
    }

    @Test func permissionsAreKeptAndASymbolicLinkStaysALink() async throws {
        let directory = WorkingDirectory()
        let real = try write(Self.messy, to: "real.json", in: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: real.path)
        let link = directory.url.appendingPathComponent("link.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.json")
        let run = await evoform(["fmt", "-f", "link.json"], in: directory)
        #expect(run.status == .success)
        #expect(try contents(real) == Self.formatted)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.json")
        let mode = try FileManager.default.attributesOfItem(atPath: real.path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test(arguments: ["basic.json", "chatwoot.json", "fleet.jsonc", "webhook.jsonc"])
    func theExamplesPassFmtCheck(_ example: String) async throws {
        let examples = PipelineExamplesTests.packageRoot.appendingPathComponent("examples")
        let run = await evoform(["fmt", "--check", "-f", examples.appendingPathComponent(example).path], in: WorkingDirectory())
        #expect(run.status == .success, "run: swift run evoform fmt -f examples/\(example)")
        #expect(run.standardOutput.isEmpty)
    }
}

@Suite struct SchemaCommandTests {
    @Test func printsTheManifestSchema() async throws {
        let run = await evoform(["schema"], in: WorkingDirectory())
        #expect(run.status == .success)
        #expect(run.standardError.isEmpty)
        #expect(run.standardOutput == ManifestSchema.document.prettyText() + "\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        #expect(parsed?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test func theOutputIsTheCommittedSchemaFile() async throws {
        let committed = PipelineExamplesTests.packageRoot.appendingPathComponent("examples/schema/evoform.schema.json")
        let run = await evoform(["schema"], in: WorkingDirectory())
        #expect(run.standardOutput == (try String(contentsOf: committed, encoding: .utf8)))
    }

    @Test func argumentsAreAUsageError() async throws {
        let run = await evoform(["schema", "out.json"], in: WorkingDirectory())
        #expect(run.status == .usage)
        #expect(run.standardOutput.isEmpty)
    }

    @Test func bothCommandsAreListedWithTheirHelp() async throws {
        let overview = await evoform(["--help"], in: WorkingDirectory())
        #expect(overview.standardOutput.contains("  schema "))
        #expect(overview.standardOutput.contains("  fmt "))
        let help = await evoform(["fmt", "--help"], in: WorkingDirectory())
        #expect(help.standardOutput.hasPrefix("Usage: evoform fmt [-f FILE] [--check]"))
    }
}
