import EvoformCore
import EvoformPlanner
import Testing

@testable import EvoformApplier
@testable import EvoformRendering

/// One plan with every action and both kinds of drift.
let samplePlan = Plan(
    changes: [
        InstanceChange(
            name: "sales01", action: .create,
            fieldChanges: [
                FieldChange(field: .qrcode, before: nil, after: .bool(true)),
                FieldChange(field: .token, before: nil, after: .secret(SecretFingerprint(rawValue: "aa"))),
                FieldChange(field: .webhookURL, before: nil, after: .string("https://hooks.example.com/sales")),
                FieldChange(field: .webhookEvents, before: nil, after: .events(.only(["MESSAGES_UPSERT", "CONNECTION_UPDATE"]))),
            ]),
        InstanceChange(name: "steady", action: .noop),
        InstanceChange(
            name: "support01", action: .update,
            fieldChanges: [
                FieldChange(field: .webhookEvents, before: .events(.all), after: .events(.only(["MESSAGES_UPSERT"]))),
                FieldChange(field: .rejectCall, before: .bool(false), after: .bool(true)),
            ],
            groupsToSet: [.webhook, .settings]),
        InstanceChange(
            name: "helpdesk", action: .replace,
            fieldChanges: [
                FieldChange(
                    field: .token, before: .secret(SecretFingerprint(rawValue: "bb")),
                    after: .secret(SecretFingerprint(rawValue: "cc")))
            ],
            reason: "token cannot change after creation",
            warnings: ["the instance is deleted and created again: its phone must pair again (scan a new QR code)"]),
        InstanceChange(
            name: "old01", action: .delete,
            fieldChanges: [FieldChange(field: .webhookURL, before: .string("https://old.example"), after: nil)]),
        InstanceChange(name: "vanished", action: .forget),
    ],
    drift: [
        Drift(
            name: "support01",
            kind: .changedOutside([FieldChange(field: .webhookURL, before: .string("https://a.example"), after: .string("https://b.example"))])),
        Drift(name: "vanished", kind: .deletedOutside),
    ],
    apiVersion: .v2, refreshed: true)

@Suite struct PlanRenderingTests {
    @Test func textPlanMatchesGolden() throws {
        try Golden.check(PlanTextRenderer(style: TerminalStyle(enabled: false)).render(samplePlan), against: "plans/sample.txt")
    }

    @Test func jsonPlanMatchesGoldenAndMasksSecrets() throws {
        let json = PlanDocument.json(samplePlan, secrets: .masked).prettyText()
        try Golden.check(json + "\n", against: "plans/sample.json")
        #expect(!json.contains("\"aa\"") && !json.contains("fingerprint"))
    }

    @Test func savedFormKeepsFingerprintsOnly() {
        let json = PlanDocument.json(samplePlan, secrets: .fingerprints).canonicalText
        #expect(json.contains(#"{"fingerprint":"cc"}"#))
    }

    @Test func emptyPlanSaysNoChanges() {
        let plan = Plan(changes: [InstanceChange(name: "a", action: .noop)], drift: [], apiVersion: .v1, refreshed: true)
        #expect(PlanTextRenderer(style: TerminalStyle(enabled: false)).render(plan) == "No changes. The fleet matches the manifest.\n")
    }

    @Test func colourOnlyWhenEnabled() {
        let plain = PlanTextRenderer(style: TerminalStyle(enabled: false)).render(samplePlan)
        let coloured = PlanTextRenderer(style: TerminalStyle(enabled: true)).render(samplePlan)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[32m"))
    }
}

@Suite struct ApplyProgressTests {
    @Test func textLinesAndSummary() {
        let renderer = ApplyProgressRenderer(format: .text(TerminalStyle(enabled: false)))
        #expect(renderer.line(for: .started("a", .create)) == "a: Creating...")
        #expect(renderer.line(for: .finished("a", .create, elapsed: 0.234)) == "a: Creation complete after 0.2s")
        #expect(renderer.line(for: .called("a", "POST /instance/create")) == nil)
        var report = ApplyReport()
        report.completed = [.create: 2, .delete: 1]
        #expect(renderer.summary(report) == "\nApply complete: 2 created, 0 updated, 0 replaced, 1 deleted.")
    }

    @Test func failuresAreListedInTheSummary() {
        let renderer = ApplyProgressRenderer(format: .text(TerminalStyle(enabled: false)))
        var report = ApplyReport()
        report.failures = [ApplyFailure(name: "b", action: .create, message: "POST /instance/create: 400 Bad Request")]
        #expect(renderer.summary(report).contains("  - b (create): POST /instance/create: 400 Bad Request"))
    }

    @Test func jsonLinesAreOneObjectPerEvent() {
        let renderer = ApplyProgressRenderer(format: .jsonLines)
        #expect(renderer.line(for: .started("a", .update)) == #"{"action":"update","instance":"a","type":"start"}"#)
        var report = ApplyReport()
        report.completed = [.update: 1]
        #expect(renderer.summary(report).hasPrefix(#"{"created":0,"deleted":0,"failed":[],"#))
    }
}

@Suite struct MarkdownPlanTests {
    @Test func markdownMatchesGolden() throws {
        try Golden.check(PlanMarkdownRenderer().render(samplePlan), against: "plans/sample.md")
    }

    @Test func hugePlansStayUnderTheLimitWithANote() {
        let changes = (0..<5_000).map {
            InstanceChange(
                name: InstanceName("instance\($0)"), action: .create,
                fieldChanges: [FieldChange(field: .webhookURL, before: nil, after: .string("https://hooks.example.com/\($0)"))])
        }
        let markdown = PlanMarkdownRenderer().render(Plan(changes: changes, drift: [], apiVersion: .v2, refreshed: true))
        #expect(markdown.count <= PlanMarkdownRenderer.defaultLimit)
        #expect(markdown.contains("truncated"))
        #expect(markdown.hasPrefix("## evoform plan\n\n**Plan: 5000 to create"))
    }

    @Test func convergedFleetSaysNoChanges() {
        let plan = Plan(changes: [InstanceChange(name: "a", action: .noop)], drift: [], apiVersion: .v2, refreshed: true)
        #expect(PlanMarkdownRenderer().render(plan) == "## evoform plan\n\n**No changes.** The fleet matches the manifest.\n")
    }
}

@Suite struct PlanDocumentReadingTests {
    @Test func savedFormReadsBackToTheSamePlan() throws {
        let saved = PlanDocument.json(samplePlan, secrets: .fingerprints)
        let reread = try #require(PlanDocument.plan(from: saved))
        #expect(reread == samplePlan)
    }

    @Test func otherDocumentsAreRejected() {
        #expect(PlanDocument.plan(from: ["format_version": "9.9"]) == nil)
        #expect(PlanDocument.plan(from: "not an object") == nil)
    }
}
