import Foundation
import EvoformCore
import Testing

@testable import EvoformCLI

@Suite struct ArgumentParserTests {
    let parser = ArgumentParser(
        options: [
            .value("file", short: "f", placeholder: "FILE", help: ""),
            .value("target", placeholder: "NAME", repeatable: true, help: ""),
            .value("out", placeholder: "FILE", help: ""),
            .flag("auto-approve", help: ""),
            .flag("refresh", help: ""),
        ],
        commandName: "apply")

    @Test func acceptsEveryTerraformSpelling() throws {
        let parsed = try parser.parse(["-auto-approve", "-out=plan.bin", "--file", "a.json", "-f", "b.json", "--target=x", "-target", "y"])
        #expect(parsed.flag("auto-approve"))
        #expect(parsed.value("out") == "plan.bin")
        #expect(parsed.value("file") == "b.json")
        #expect(parsed.all("target") == ["x", "y"])
    }

    @Test func flagsTakeExplicitBooleans() throws {
        #expect(try parser.parse(["--refresh=false"]).flag("refresh", default: true) == false)
        #expect(try parser.parse([]).flag("refresh", default: true) == true)
        #expect(throws: UsageError("option --refresh takes true or false, not \"maybe\"", command: "apply")) {
            try parser.parse(["--refresh=maybe"])
        }
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try parser.parse(["plan.bin", "--", "--auto-approve", "-"])
        #expect(parsed.positionals == ["plan.bin", "--auto-approve", "-"])
        #expect(!parsed.flag("auto-approve"))
    }

    @Test func unknownOptionSuggestsTheClosest() {
        #expect(throws: UsageError("unknown option --auto-aprove for apply; did you mean --auto-approve?", command: "apply")) {
            try parser.parse(["--auto-aprove"])
        }
        #expect(throws: UsageError("unknown option --zzz for apply", command: "apply")) { try parser.parse(["--zzz"]) }
    }

    @Test func missingValueIsAUsageError() {
        #expect(throws: UsageError("option --file needs a value (FILE)", command: "apply")) { try parser.parse(["--file"]) }
    }
}

@Suite struct CommandDispatchTests {
    func run(_ arguments: [String]) async -> (EvoformCore.ExitStatus, String, String) {
        let out = TextSink(capturingAsTerminal: false)
        let err = TextSink(capturingAsTerminal: false)
        let context = CommandContext(
            environment: [:], workingDirectory: URL(fileURLWithPath: "/tmp"), standardOutput: out, standardError: err)
        let status = await Evoform.main(arguments: arguments, context: context)
        return (status, out.text, err.text)
    }

    @Test func unknownCommandExits64WithSuggestion() async {
        let (status, _, err) = await run(["verison"])
        #expect(status == .usage)
        #expect(err.contains("unknown command \"verison\"; did you mean \"version\"?"))
    }

    @Test func unknownOptionExits64() async {
        let (status, _, err) = await run(["version", "--jsno"])
        #expect(status == .usage)
        #expect(err.contains("did you mean --json?"))
        #expect(err.contains("evoform version --help"))
    }

    @Test func everyCommandHasHelpListingItsOptions() async {
        for command in Evoform.commands {
            let (status, out, _) = await run([command.name, "--help"])
            #expect(status == .success)
            #expect(out.hasPrefix("Usage: evoform \(command.name)"))
            for option in command.options { #expect(out.contains("--\(option.name)"), "\(command.name) --\(option.name)") }
        }
    }

    @Test func overviewListsEveryCommand() async {
        let (status, out, _) = await run(["--help"])
        #expect(status == .success)
        for command in Evoform.commands { #expect(out.contains("  \(command.name) ")) }
    }

    @Test func noArgumentsIsUsage() async {
        let (status, _, err) = await run([])
        #expect(status == .usage)
        #expect(err.contains("Usage: evoform COMMAND"))
    }
}
