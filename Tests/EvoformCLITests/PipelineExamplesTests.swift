import EvoformCore
import Foundation
import Testing

@testable import EvoformCLI

/// The CI recipes in `examples/pipelines/` run evoform the way the command line accepts: every
/// `evoform ...` invocation names a command that exists, with options that command has, parsed
/// by the real `ArgumentParser`.
@Suite struct PipelineExamplesTests {
    static let packageRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        return directory
    }()

    static let directory = packageRoot.appendingPathComponent("examples/pipelines")

    static let files: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
    }()

    /// One `evoform ...` command found in a file.
    struct Invocation: CustomStringConvertible {
        var file: String
        var line: Int
        var words: [String]
        var description: String { "\(file):\(line): evoform \(words.joined(separator: " "))" }
    }

    // MARK: Finding invocations

    /// Every invocation in a YAML file, outside comments: `evoform` at a command position (the
    /// start of a line or of `run:`, a list item `- `, or after `;`, `&&`, `||`, `|`, `(`, `!`,
    /// `then`, `do`, `else`), with `\` continuations joined.
    static func invocations(inFile name: String) throws -> [Invocation] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        var logical: [(line: Int, text: String)] = []
        var pending: (line: Int, text: String)?
        for (offset, raw) in text.components(separatedBy: "\n").enumerated() {
            var line = raw
            if pending == nil, line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { continue }
            let continues = line.hasSuffix("\\")
            if continues { line.removeLast() }
            if var current = pending {
                current.text += " " + line.trimmingCharacters(in: .whitespaces)
                pending = current
            } else {
                pending = (offset + 1, line)
            }
            if !continues {
                logical.append(pending!)
                pending = nil
            }
        }
        let commandPosition = try NSRegularExpression(
            pattern: #"(?:^\s*(?:-\s+)?(?:run:\s*)?|[;&|(!]\s*|\b(?:then|do|else)\s+)evoform(?=\s|$)"#)
        var result: [Invocation] = []
        for (number, line) in logical {
            let range = NSRange(line.startIndex..<line.endIndex, in: line)
            for match in commandPosition.matches(in: line, range: range) {
                let rest = String(line[Range(match.range, in: line)!.upperBound...])
                result.append(Invocation(file: name, line: number, words: shellWords(rest)))
            }
        }
        return result
    }

    /// Splits shell text into words, up to the first unquoted operator (`|`, `&`, `;`, `>`, `<`,
    /// `)`, or `#` starting a word). Quotes and backslashes are removed; `$VAR` stays as written.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\", open == "\"", let next = characters.first, "\"\\$`".contains(next) {
                    word.append(characters.removeFirst())
                } else {
                    word.append(character)
                }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                inWord = true
            case "\\":
                if let next = characters.popFirst() { word.append(next) }
                inWord = true
            case " ", "\t":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "|", "&", ";", ">", "<", ")":
                if inWord, word.allSatisfy(\.isNumber), character == ">" || character == "<" { return words }
                if inWord { words.append(word) }
                return words
            case "#" where !inWord:
                return words
            default:
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    @Test func theShellWordSplitterHandlesQuotesAndOperators() {
        #expect(shellWords(#"plan -out=plan.json --format "mark down" > out.txt"#) == ["plan", "-out=plan.json", "--format", "mark down"])
        #expect(shellWords(#"apply 'a b'\ c --no-color && echo done"#) == ["apply", "a b c", "--no-color"])
        #expect(shellWords("validate 2>/dev/null") == ["validate"])
        #expect(shellWords("fmt --check # comment") == ["fmt", "--check"])
        #expect(shellWords(#"plan -f "$EVOFORM_FILE"|tee x"#) == ["plan", "-f", "$EVOFORM_FILE"])
    }

    func shellWords(_ text: String) -> [String] { Self.shellWords(text) }

    // MARK: The recipes

    @Test func theRecipesExist() {
        #expect(Self.files.contains("github-actions.yml"))
        #expect(Self.files.contains("gitlab-ci.yml"))
    }

    @Test(arguments: PipelineExamplesTests.files)
    func eachRecipeValidatesPlansAndAppliesASavedPlan(_ file: String) throws {
        let invocations = try Self.invocations(inFile: file)
        let commands = Set(invocations.compactMap(\.words.first))
        #expect(commands.isSuperset(of: ["validate", "fmt", "plan", "apply"]), "\(file): \(commands.sorted())")
        let plans = invocations.filter { $0.words.first == "plan" }
        #expect(plans.contains { $0.words.contains("-out=plan.json") && $0.words.contains("--summary-md") }, "\(file)")
        #expect(invocations.contains { $0.words.first == "apply" && $0.words.dropFirst().first?.hasSuffix("plan.json") == true })
    }

    /// The positional arguments each command used in the recipes takes.
    static let positionals: [String: ClosedRange<Int>] = [
        "validate": 0...0, "fmt": 0...0, "plan": 0...0, "apply": 0...1, "state": 1...3, "show": 0...1,
        "schema": 0...0, "version": 0...0,
    ]

    @Test(arguments: PipelineExamplesTests.files)
    func everyInvocationParsesAgainstItsCommandsOptions(_ file: String) throws {
        let invocations = try Self.invocations(inFile: file)
        #expect(invocations.count >= 5, "\(file)")
        for invocation in invocations {
            guard let name = invocation.words.first, let command = Evoform.command(named: name) else {
                Issue.record("\(invocation): no such command")
                continue
            }
            let parsed: ParsedArguments
            do {
                parsed = try ArgumentParser(options: command.options, commandName: name).parse(Array(invocation.words.dropFirst()))
            } catch {
                Issue.record("\(invocation): \(error.message)")
                continue
            }
            guard let allowed = Self.positionals[name] else {
                Issue.record("\(invocation): add the positional arguments of \(name) to the test's table")
                continue
            }
            #expect(allowed.contains(parsed.positionals.count), "\(invocation): \(parsed.positionals)")
            if name == "state" {
                #expect(["list", "show", "rm", "mv", "pull"].contains(parsed.positionals[0]), "\(invocation)")
            }
            if name == "plan" {
                #expect(throws: Never.self, "\(invocation)") { _ = try PlanCommand.outputFormat(parsed) }
            }
        }
    }

    @Test func anUnknownOptionInARecipeWouldBeFound() throws {
        let command = try #require(Evoform.command(named: "plan"))
        let words = shellWords("plan -out=plan.json --summary-markdown plan.md")
        #expect(throws: UsageError.self) {
            try ArgumentParser(options: command.options, commandName: "plan").parse(Array(words.dropFirst()))
        }
    }
}
