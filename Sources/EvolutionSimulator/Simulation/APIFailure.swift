/// An error answered with the real server's envelope
/// `{"status":N,"error":"...","response":{"message":...}}` (`*/src/main.ts` error handler).
struct APIFailure: Error, Equatable {
    var status: Int
    var error: String
    /// An array of strings for the server's own exceptions, a plain string for 401 and for
    /// JavaScript errors.
    var message: WireJSON

    var body: WireJSON {
        ["status": .number(Double(status)), "error": .string(error), "response": ["message": message]]
    }

    static func badRequest(_ messages: [String]) -> APIFailure {
        APIFailure(status: 400, error: "Bad Request", message: .array(messages.map { .string($0) }))
    }

    static func badRequest(_ message: String) -> APIFailure { badRequest([message]) }

    static func notFound(_ message: String) -> APIFailure {
        APIFailure(status: 404, error: "Not Found", message: [.string(message)])
    }

    static func forbidden(_ message: String) -> APIFailure {
        APIFailure(status: 403, error: "Forbidden", message: [.string(message)])
    }

    static let unauthorized = APIFailure(status: 401, error: "Unauthorized", message: "Unauthorized")

    /// `InternalServerErrorException(text)`: status 500, message array.
    static func internalServerError(_ message: String) -> APIFailure {
        APIFailure(status: 500, error: "Internal Server Error", message: [.string(message)])
    }

    /// A JavaScript error reaching the global handler: 500 (or `status`), message string.
    static func javaScriptError(_ message: String, status: Int = 500) -> APIFailure {
        APIFailure(status: status, error: "Internal Server Error", message: .string(message))
    }

    static func unknownRoute(method: String, target: String) -> APIFailure {
        APIFailure(status: 404, error: "Not Found", message: [.string("Cannot \(method) \(target)")])
    }

    /// What reading `.length` of a missing `events` array throws.
    static let missingEventsMessage = "Cannot read properties of undefined (reading 'length')"
}

/// What an endpoint answers: a status and a JSON body (nil: an empty body), optionally held
/// back for a while (the real server's QR sleeps).
struct APIOutcome {
    var status: Int
    var body: WireJSON?
    var holdMilliseconds = 0
}
