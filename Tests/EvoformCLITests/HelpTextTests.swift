import EvoformCore
import Foundation
import Testing

@testable import EvoformCLI

/// Every flag a command's `--help` mentions is one the command accepts, so the help never sends
/// anyone to an option that does not exist. A flag written after `evoform OTHER` on the same line
/// (`'evoform plan --out'`) belongs to that other command.
@Suite struct HelpTextTests {
    /// The sentence every help ends with, showing the syntax with another command's options.
    static let syntaxNote = "Long options also take one dash (-auto-approve, -out=FILE) and --name=value."

    struct Mention: Equatable, CustomStringConvertible {
        var command: String
        var flag: String
        var description: String { "evoform \(command) \(flag)" }
    }

    /// The flags mentioned in a help text: `--name` (with `=value` dropped) and `-x`, each with the
    /// command it belongs to.
    static func mentions(in help: String, of command: String) throws -> [Mention] {
        let flag = try NSRegularExpression(pattern: #"(?<![\w-])(--[a-z][a-z0-9-]*|-[A-Za-z](?=[\s,\])]|$))"#)
        let reference = try NSRegularExpression(pattern: #"\bevoform ([a-z][a-z-]*)"#)
        var result: [Mention] = []
        for line in help.components(separatedBy: "\n") where line != syntaxNote {
            let range = NSRange(line.startIndex..<line.endIndex, in: line)
            let utf16 = Array(line.utf16)
            // A reference inside quotes ('evoform plan --out') owns the flags up to the closing quote;
            // otherwise up to the end of the line.
            let references = reference.matches(in: line, range: range).map { match in
                let start = match.range.location
                var end = utf16.count
                if start > 0, let quote = [UInt16(UInt8(ascii: "'")), UInt16(UInt8(ascii: "\""))].first(where: { $0 == utf16[start - 1] }) {
                    end = utf16[(start + match.range.length)...].firstIndex(of: quote) ?? end
                }
                return (span: start..<end, name: String(line[Range(match.range(at: 1), in: line)!]))
            }
            for match in flag.matches(in: line, range: range) {
                let text = String(line[Range(match.range(at: 1), in: line)!])
                let owner = references.last { $0.span.contains(match.range.location) && Evoform.command(named: $0.name) != nil }
                result.append(Mention(command: owner?.name ?? command, flag: text))
            }
        }
        return result
    }

    static func accepts(_ mention: Mention) -> Bool {
        guard let command = Evoform.command(named: mention.command) else { return false }
        if mention.flag == "--help" || mention.flag == "-h" { return true }
        if mention.flag.hasPrefix("--") {
            return command.options.contains { "--" + $0.name == mention.flag }
        }
        return command.options.contains { $0.short.map { "-\($0)" } == mention.flag }
    }

    static let names = Evoform.commands.map { $0.name }

    @Test(arguments: HelpTextTests.names)
    func everyFlagTheHelpMentionsExists(_ name: String) throws {
        let command = try #require(Evoform.command(named: name))
        let help = command.help
        #expect(help.contains(Self.syntaxNote), "the generic note changed: update HelpTextTests.syntaxNote")
        #expect(!help.split(separator: "\n").contains { $0.hasSuffix(" ") }, "a line of 'evoform \(name) --help' ends in a space")
        for mention in try Self.mentions(in: help, of: name) {
            #expect(Self.accepts(mention), "'evoform \(name) --help' mentions \(mention), which does not exist")
        }
    }

    @Test func theSyntaxNotesOwnExamplesExistSomewhere() {
        #expect(Self.accepts(Mention(command: "apply", flag: "--auto-approve")))
        #expect(Self.accepts(Mention(command: "plan", flag: "--out")))
    }

    @Test func mentionsAreFoundAndAttributed() throws {
        let help = "Use -f FILE or --state=PATH; see 'evoform plan --out' and [--target NAME].\nevoform apply -x"
        #expect(
            try Self.mentions(in: help, of: "show") == [
                Mention(command: "show", flag: "-f"), Mention(command: "show", flag: "--state"),
                Mention(command: "plan", flag: "--out"), Mention(command: "show", flag: "--target"),
                Mention(command: "apply", flag: "-x"),
            ])
        #expect(!Self.accepts(Mention(command: "show", flag: "--target")))
        #expect(!Self.accepts(Mention(command: "apply", flag: "-x")))
        #expect(Self.accepts(Mention(command: "plan", flag: "-f")))
        // "-/+ replace", "kill -9" and "-- a" are not flags.
        #expect(try Self.mentions(in: "-/+ replace, kill -9, -- a, x-y", of: "plan").isEmpty)
    }
}
