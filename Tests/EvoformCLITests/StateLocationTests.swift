@testable import EvoformCLI
import Foundation
import Testing

@Suite("Where the state is")
struct StateLocationTests {
    func context(environment: [String: String] = [:]) -> CommandContext {
        CommandContext(
            environment: environment, workingDirectory: URL(fileURLWithPath: "/work/project"),
            standardOutput: TextSink(), standardError: TextSink())
    }

    @Test("--state wins, then EVOFORM_STATE, then state/evoform.db under the working directory")
    func precedence() throws {
        let flag = ParsedArguments(values: ["state": ["custom/s.db"]])
        let none = ParsedArguments()
        #expect(try context().stateURL(none, command: "plan").path == "/work/project/state/evoform.db")
        #expect(try context(environment: ["EVOFORM_STATE": "/var/lib/evoform/prod.db"]).stateURL(none, command: "plan").path
            == "/var/lib/evoform/prod.db")
        #expect(try context(environment: ["EVOFORM_STATE": "envs/dev.db"]).stateURL(none, command: "plan").path
            == "/work/project/envs/dev.db")
        #expect(try context(environment: ["EVOFORM_STATE": ""]).stateURL(none, command: "plan").path
            == "/work/project/state/evoform.db")
        #expect(try context(environment: ["EVOFORM_STATE": "/elsewhere.db"]).stateURL(flag, command: "plan").path
            == "/work/project/custom/s.db")
        #expect(try context().stateURL(ParsedArguments(values: ["state": ["/abs/x.db"]]), command: "plan").path == "/abs/x.db")
        #expect(try context().stateURL(ParsedArguments(values: ["state": ["../up/./x.db"]]), command: "plan").path
            == "/work/up/x.db")
    }

    @Test("an empty --state is a usage error")
    func emptyFlag() {
        #expect(throws: UsageError.self) {
            try context().stateURL(ParsedArguments(values: ["state": [""]]), command: "plan")
        }
    }

    @Test("--lock-timeout defaults to zero and is parsed as a duration")
    func lockTimeout() throws {
        #expect(try context().lockTimeout(ParsedArguments(), command: "plan") == .zero)
        #expect(try context().lockTimeout(ParsedArguments(values: ["lock-timeout": ["2m"]]), command: "plan") == .seconds(120))
        #expect(throws: UsageError.self) {
            try context().lockTimeout(ParsedArguments(values: ["lock-timeout": ["2 minutes"]]), command: "plan")
        }
    }
}
