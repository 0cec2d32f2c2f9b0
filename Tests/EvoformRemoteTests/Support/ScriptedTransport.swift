import EvoformCore
import EvoformRemote
import Foundation

/// A transport that answers from a script instead of a network, and records what was sent: for
/// the pure tests of payloads, normalisation and retries (the real HTTP tests use the simulator).
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    typealias Answer = Result<HTTPResponse, TransportFailure>

    private let lock = NSLock()
    private var handler: @Sendable (HTTPRequest) -> Answer
    private var recorded: [HTTPRequest] = []

    init(_ handler: @escaping @Sendable (HTTPRequest) -> Answer) {
        self.handler = handler
    }

    /// Answers each request with the next scripted answer (the last one repeats).
    convenience init(sequence answers: [Answer]) {
        let queue = AnswerQueue(answers)
        self.init { _ in queue.next() }
    }

    func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        let handler = lock.withLock {
            recorded.append(request)
            return self.handler
        }
        return try handler(request).get()
    }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    /// `METHOD /path` of every request, in order.
    var calls: [String] { requests.map { "\($0.method) \($0.url.path)" } }

    /// The JSON body of the request at `index`.
    func body(at index: Int) -> JSONValue? {
        guard let data = requests[index].body else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }
}

private final class AnswerQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [ScriptedTransport.Answer]

    init(_ answers: [ScriptedTransport.Answer]) { self.answers = answers }

    func next() -> ScriptedTransport.Answer {
        lock.withLock { answers.count > 1 ? answers.removeFirst() : answers[0] }
    }
}

/// Builders for answers.
enum Reply {
    static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> ScriptedTransport.Answer {
        .success(HTTPResponse(status: status, headers: headers, body: Data(text.utf8)))
    }

    static func failure(_ kind: TransportFailureKind) -> ScriptedTransport.Answer {
        .failure(TransportFailure(kind: kind, detail: "scripted"))
    }

    /// The error envelope of REFERENCE §9.
    static func error(_ status: Int, _ messages: [String]) -> ScriptedTransport.Answer {
        let list = JSONValue.array(messages.map { .string($0) }).canonicalText
        return json(status, "{\"status\":\(status),\"error\":\"Error\",\"response\":{\"message\":\(list)}}")
    }
}

/// Timing that never waits: records the sleeps asked for, jitter at a chosen fraction.
final class RecordedTiming: @unchecked Sendable {
    private let lock = NSLock()
    private var sleeps: [Double] = []
    private var clock: Double = 0
    let jitterFraction: Double

    init(jitterFraction: Double = 1) { self.jitterFraction = jitterFraction }

    var slept: [Double] { lock.withLock { sleeps } }

    var timing: ClientTiming {
        ClientTiming(
            random: { [jitterFraction] range in range.lowerBound + (range.upperBound - range.lowerBound) * jitterFraction },
            sleep: { seconds in
                self.lock.withLock {
                    self.sleeps.append(seconds)
                    self.clock += seconds
                }
            },
            now: { self.lock.withLock { self.clock } })
    }
}

/// Collects request events.
final class EventLog: RequestObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [RequestEvent] = []

    func didSend(_ event: RequestEvent) { lock.withLock { recorded.append(event) } }
    var events: [RequestEvent] { lock.withLock { recorded } }
}

enum Fixture {
    static let apiKey = Secret("GLOBAL-KEY-123")

    static func endpoint(_ version: APIVersionChoice, retry: RetryPolicy = .standard) -> ServerEndpoint {
        ServerEndpoint(
            url: URL(string: "http://127.0.0.1:8080")!, apiKey: apiKey, version: version, timeoutSeconds: 5,
            retry: retry)
    }

    static func client(
        _ version: APIVersionChoice, _ transport: ScriptedTransport, timing: RecordedTiming = RecordedTiming(),
        observer: EventLog? = nil, retry: RetryPolicy = .standard
    ) -> EvolutionClient {
        EvolutionClient(
            endpoint: endpoint(version, retry: retry), transport: transport, observer: observer, timing: timing.timing)
    }
}
