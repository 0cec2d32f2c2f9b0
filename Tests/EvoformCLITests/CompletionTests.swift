import Foundation
import Testing

@testable import EvoformCLI

@Suite struct CompletionTests {
    func script(_ shell: String) async -> String {
        let out = TextSink(capturingAsTerminal: false)
        let context = CommandContext(
            environment: [:], workingDirectory: URL(fileURLWithPath: "/tmp"), standardOutput: out,
            standardError: TextSink(capturingAsTerminal: false))
        _ = await Evoform.main(arguments: ["completion", shell], context: context)
        return out.text
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func everyCommandAndFlagIsCompleted(shell: String) async {
        let text = await script(shell)
        for command in Evoform.commands {
            #expect(text.contains(command.name))
            for option in command.options {
                #expect(text.contains(shell == "fish" ? "-l \(option.name)" : "--\(option.name)"), "\(command.name) --\(option.name)")
            }
        }
    }

    @Test func bashScriptIsValidBash() async throws {
        let text = await script("bash")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("evoform-completion-\(UUID()).bash")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-n", file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
