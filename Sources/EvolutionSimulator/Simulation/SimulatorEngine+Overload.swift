import Foundation

/// Overload as a provisioning tool meets it behind a proxy or rate limiter: `429` with
/// `Retry-After` past a request rate, and bursts of `503`. Neither reaches the handlers, so
/// nothing is applied. Also counts API requests in flight, so tests can check a client's
/// parallelism bound.
struct OverloadState: Sendable {
    /// Requests the current one-second window has admitted.
    var windowStart: Double = 0
    var admittedInWindow = 0
    /// 503 answers still owed by the current burst.
    var burstRemaining = 0
    /// API requests that reached the overload check, for `unavailableEvery`.
    var arrivals = 0
    var inFlight = 0
    var maxInFlight = 0

    /// Length of a 503 burst once one starts.
    static let burstLength = 3
}

extension SimulatorEngine {
    /// Called on arrival of an API request (under the lock): the reply that refuses it, if any.
    func admitLocked(_ request: HTTPRequest, now: Double) -> HTTPResponse? {
        if configuration.rateLimitPerSecond > 0 {
            if now - overload.windowStart >= 1 {
                overload.windowStart = now
                overload.admittedInWindow = 0
            }
            if overload.admittedInWindow >= configuration.rateLimitPerSecond {
                return refuse(request, status: 429, error: "Too Many Requests", retryAfter: 1)
            }
            overload.admittedInWindow += 1
        }
        overload.arrivals += 1
        let every = configuration.unavailableEvery
        if overload.burstRemaining > 0 || (every > 0 && overload.arrivals % every == 0) {
            overload.burstRemaining = (overload.burstRemaining > 0 ? overload.burstRemaining : OverloadState.burstLength) - 1
            return refuse(request, status: 503, error: "Service Unavailable", retryAfter: nil)
        }
        overload.inFlight += 1
        overload.maxInFlight = max(overload.maxInFlight, overload.inFlight)
        return nil
    }

    /// Called when an admitted request is served (under the lock).
    func finishLocked() { overload.inFlight = max(0, overload.inFlight - 1) }

    /// The most API requests that were in flight at once since the last log reset.
    func maxConcurrentRequests() -> Int { withLock { overload.maxInFlight } }

    private func refuse(_ request: HTTPRequest, status: Int, error: String, retryAfter: Int?) -> HTTPResponse {
        log.append(
            SimulatedRequest(
                method: request.method, path: String(request.rawPath), query: String(request.rawQuery), status: status,
                instance: nil, isMutating: !["GET", "HEAD", "OPTIONS"].contains(request.method)))
        var response = HTTPResponse.json(
            status, ["status": .number(Double(status)), "error": .string(error), "response": ["message": [.string(error)]]])
        if let retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
        return response
    }
}
