import EvoformCore
import EvoformRemote
import Testing

@Suite struct RetryPolicyTests {
    @Test func backoffCeilingDoublesFromTheBaseAndStopsAtTheMaximum() {
        let policy = RetryPolicy(maximumAttempts: 8, baseDelay: 0.25, maximumDelay: 2)
        #expect((1...6).map(policy.backoffCeiling(beforeRetry:)) == [0.25, 0.5, 1, 2, 2, 2])
    }

    @Test(arguments: [0.0, 0.3, 1.0])
    func fullJitterStaysWithinZeroAndTheCeiling(fraction: Double) {
        let policy = RetryPolicy.standard
        for retry in 1...5 {
            let ceiling = policy.backoffCeiling(beforeRetry: retry)
            let delay = policy.delay(beforeRetry: retry, retryAfter: nil) { range in
                range.lowerBound + (range.upperBound - range.lowerBound) * fraction
            }
            #expect(delay == ceiling * fraction)
            #expect(delay! >= 0 && delay! <= ceiling)
        }
    }

    @Test func aRandomSourceOutOfRangeIsClampedToTheCeiling() {
        let delay = RetryPolicy.standard.delay(beforeRetry: 1, retryAfter: nil) { _ in 99 }
        #expect(delay == 0.25)
    }

    @Test func retryAfterIsHonouredExactlyUpToItsCap() {
        let policy = RetryPolicy(maximumRetryAfter: 10)
        #expect(policy.delay(beforeRetry: 1, retryAfter: 7) { _ in 0 } == 7)
        #expect(policy.delay(beforeRetry: 3, retryAfter: 0) { _ in 0 } == 0)
        #expect(policy.delay(beforeRetry: 1, retryAfter: 11) { _ in 0 } == nil)
    }

    @Test func retryAfterHeaderIsReadInSecondsOnly() {
        #expect(RetryPolicy.retryAfterSeconds("3") == 3)
        #expect(RetryPolicy.retryAfterSeconds(" 12 ") == 12)
        #expect(RetryPolicy.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetryPolicy.retryAfterSeconds("-1") == nil)
        #expect(RetryPolicy.retryAfterSeconds("1.5") == nil)
        #expect(RetryPolicy.retryAfterSeconds(nil) == nil)
    }

    @Test func attemptsAreAtLeastOne() {
        #expect(RetryPolicy(maximumAttempts: 0).maximumAttempts == 1)
        #expect(RetryPolicy.none.maximumAttempts == 1)
        #expect(RetryPolicy.standard.maximumAttempts == 4)
    }
}

@Suite struct RetryBehaviourTests {
    let fleetList = Reply.json(200, "[]")

    @Test func rateLimitsAreWaitedOutWithoutUsingTheFailureBudget() async throws {
        let limited = Array(repeating: Reply.error(429, ["Too Many Requests"]), count: 6)
        let transport = ScriptedTransport(
            sequence: limited + [Reply.error(503, ["busy"]), Reply.error(503, ["busy"]), Reply.error(503, ["busy"]), fleetList])
        let client = Fixture.client(.v2, transport, timing: RecordedTiming(jitterFraction: 0))
        let list = try await client.listInstances()
        #expect(list.isEmpty)
        #expect(client.requestCount == 10)
    }

    @Test func aReadIsRetriedAfterServerErrorsWithBackoff() async throws {
        let transport = ScriptedTransport(sequence: [Reply.error(500, ["boom"]), Reply.error(503, ["busy"]), fleetList])
        let timing = RecordedTiming(jitterFraction: 1)
        let client = Fixture.client(.v2, transport, timing: timing)
        let list = try await client.listInstances()
        #expect(list.isEmpty)
        #expect(client.requestCount == 3)
        #expect(timing.slept == [0.25, 0.5])
    }

    @Test func aReadGivesUpAfterTheLastAttemptWithTheServerError() async {
        let transport = ScriptedTransport(sequence: [Reply.error(502, ["bad gateway"])])
        let client = Fixture.client(.v2, transport)
        await #expect {
            _ = try await client.listInstances()
        } throws: { error in
            guard case .server(let context, let messages) = error as? RemoteError else { return false }
            return context.status == 502 && context.attempts == 4 && messages == ["bad gateway"]
        }
        #expect(client.requestCount == 4)
    }

    @Test func tooManyRequestsWaitsWhatRetryAfterSays() async throws {
        let transport = ScriptedTransport(sequence: [
            Reply.json(429, "{}", headers: ["Retry-After": "2"]), fleetList,
        ])
        let timing = RecordedTiming(jitterFraction: 0)
        let client = Fixture.client(.v2, transport, timing: timing)
        _ = try await client.listInstances()
        #expect(timing.slept == [2])
    }

    @Test func aRetryAfterBeyondTheCapFailsInsteadOfWaiting() async {
        let transport = ScriptedTransport(sequence: [Reply.json(429, "{}", headers: ["Retry-After": "3600"])])
        let timing = RecordedTiming()
        let client = Fixture.client(.v2, transport, timing: timing)
        await #expect(throws: RemoteError.self) { _ = try await client.listInstances() }
        #expect(client.requestCount == 1)
        #expect(timing.slept.isEmpty)
    }

    @Test func connectionFailuresOfAReadAreRetriedButNotDNS() async throws {
        let lost = ScriptedTransport(sequence: [Reply.failure(.connectionLost), Reply.failure(.timeout), fleetList])
        _ = try await Fixture.client(.v2, lost).listInstances()
        #expect(lost.requests.count == 3)

        let dns = ScriptedTransport(sequence: [Reply.failure(.dns)])
        await #expect {
            _ = try await Fixture.client(.v2, dns).listInstances()
        } throws: { error in
            guard case .transport(_, let kind, _) = error as? RemoteError else { return false }
            return kind == .dns
        }
        #expect(dns.requests.count == 1)
    }

    @Test func aCreateIsNotRetriedAfterAServerError() async {
        let transport = ScriptedTransport(sequence: [Reply.error(500, ["Internal"])])
        let client = Fixture.client(.v1, transport)
        await #expect {
            _ = try await client.create(DesiredInstance(name: "sales01"))
        } throws: { error in
            guard case .server(let context, _) = error as? RemoteError else { return false }
            return context.endpoint == .create && context.instance == "sales01"
        }
        #expect(transport.requests.count == 1)
    }

    @Test(arguments: [TransportFailureKind.timeout, .connectionLost, .other])
    func aCreateWhoseAnswerIsLostIsOutcomeUnknownAfterOneRequest(kind: TransportFailureKind) async {
        let transport = ScriptedTransport(sequence: [Reply.failure(kind)])
        await #expect {
            _ = try await Fixture.client(.v1, transport).create(DesiredInstance(name: "sales01"))
        } throws: { error in
            (error as? RemoteError)?.isOutcomeUnknown == true
        }
        #expect(transport.requests.count == 1)
    }

    @Test func aCreateRefusedBeforeSendingIsTriedAgain() async throws {
        let transport = ScriptedTransport(sequence: [
            Reply.failure(.refused),
            Reply.json(201, #"{"instance":{"instanceName":"sales01","instanceId":"id-1","status":"created"},"hash":{"apikey":"T"}}"#),
        ])
        let created = try await Fixture.client(.v1, transport).create(DesiredInstance(name: "sales01"))
        #expect(created.serverID == "id-1")
        #expect(transport.requests.count == 2)
    }

    @Test func aSetWhoseAnswersAreAllLostIsOutcomeUnknown() async {
        let transport = ScriptedTransport(sequence: [Reply.failure(.connectionLost)])
        let client = Fixture.client(.v2, transport)
        await #expect {
            try await client.set(
                .settings, of: "sales01", desired: InstanceConfiguration([.rejectCall: .bool(true)]), secrets: [:],
                current: nil)
        } throws: { error in
            guard case .outcomeUnknown(let context, _) = error as? RemoteError else { return false }
            return context.attempts == 4 && context.endpoint == .settingsSet
        }
        #expect(transport.requests.count == 4)
    }

    @Test func aSetIsRetriedUntilItIsConfirmed() async throws {
        let transport = ScriptedTransport(sequence: [Reply.failure(.connectionLost), Reply.json(201, "{}")])
        try await Fixture.client(.v2, transport).set(
            .settings, of: "sales01", desired: InstanceConfiguration([.rejectCall: .bool(true)]), secrets: [:],
            current: nil)
        #expect(transport.requests.count == 2)
    }

    @Test func aDeleteWhoseAnswerIsLostIsOutcomeUnknownAfterOneRequest() async {
        let transport = ScriptedTransport(sequence: [Reply.failure(.timeout)])
        await #expect {
            try await Fixture.client(.v2, transport).delete("sales01")
        } throws: { error in
            (error as? RemoteError)?.isOutcomeUnknown == true
        }
        #expect(transport.requests.count == 1)
    }

    @Test func aDeleteThatFindsNothingAfterAServerErrorIsDone() async throws {
        let transport = ScriptedTransport(sequence: [
            Reply.error(500, ["timeout in cleanup"]), Reply.error(404, ["The \"sales01\" instance does not exist"]),
        ])
        try await Fixture.client(.v2, transport).delete("sales01")
        #expect(transport.calls == ["DELETE /instance/delete/sales01", "DELETE /instance/delete/sales01"])
    }

    @Test func aDeleteOfAMissingInstanceIsNotFound() async {
        let transport = ScriptedTransport(sequence: [Reply.error(404, ["The \"ghost\" instance does not exist"])])
        await #expect {
            try await Fixture.client(.v2, transport).delete("ghost")
        } throws: { error in
            (error as? RemoteError)?.isNotFound == true
        }
    }

    @Test func everyAttemptIsReportedToTheObserver() async throws {
        let transport = ScriptedTransport(sequence: [Reply.error(503, ["busy"]), fleetList])
        let log = EventLog()
        _ = try await Fixture.client(.v2, transport, observer: log).listInstances()
        #expect(log.events.map(\.status) == [503, 200])
        #expect(log.events.map(\.willRetry) == [true, false])
        #expect(log.events.map(\.attempt) == [1, 2])
        #expect(log.events.allSatisfy { $0.endpoint == .fetchInstances })
    }
}

@Suite struct CancellationTests {
    @Test func aCancelledTaskSendsNoRetryButAwaitsTheRequestInFlight() async {
        let transport = ScriptedTransport(sequence: [Reply.error(500, ["boom"])])
        let client = Fixture.client(.v2, transport)
        let task = Task { try await client.listInstances() }
        task.cancel()
        await #expect(throws: RemoteError.self) { _ = try await task.value }
        #expect(transport.requests.count == 1)
    }

    @Test func aCancelledObserveStartsNoFurtherFind() async throws {
        let names = (0..<20).map { "n\($0)" }
        let list = "[" + names.map { #"{"id":"\#($0)","name":"\#($0)","connectionStatus":"close","token":"t"}"# }
            .joined(separator: ",") + "]"
        let transport = routed(["/instance/fetchInstances": list])
        let client = Fixture.client(.v2, transport)
        let wanted = Dictionary(uniqueKeysWithValues: names.map { (InstanceName($0), Set([FieldGroup.webhook])) })
        let task = Task { try await client.observe(wanted, parallelism: 2) }
        task.cancel()
        _ = try? await task.value
        #expect(transport.requests.count <= 3)  // the list, and at most the first `parallelism` finds
    }
}
