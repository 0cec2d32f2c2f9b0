import Foundation

/// How often and how patiently a failed request is tried again: exponential backoff with full
/// jitter, `Retry-After` honoured for 429/503. Which failures are retried depends on the request
/// (see `RequestKind`); this type only decides how many times and how long to wait.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included (1 = never retry).
    public var maximumAttempts: Int
    /// The backoff ceiling before the first retry, in seconds; it doubles for each further retry.
    public var baseDelay: Double
    /// The backoff ceiling never exceeds this many seconds.
    public var maximumDelay: Double
    /// A `Retry-After` longer than this is not waited for: the request fails instead.
    public var maximumRetryAfter: Double
    /// Attempts in total while the server answers 429; 429s do not count against
    /// `maximumAttempts`. A rate limit means "later", not
    /// "failed": with a fixed window, a client that returns exactly on time can be refused several
    /// windows in a row while others take the slots, so it is given more patience.
    public var maximumRateLimitedAttempts: Int

    public init(
        maximumAttempts: Int = 4, baseDelay: Double = 0.25, maximumDelay: Double = 8, maximumRetryAfter: Double = 60,
        maximumRateLimitedAttempts: Int = 12
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.maximumRateLimitedAttempts = max(self.maximumAttempts, maximumRateLimitedAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maximumDelay = max(0, maximumDelay)
        self.maximumRetryAfter = max(0, maximumRetryAfter)
    }

    /// Four attempts, 0.25 s doubling up to 8 s, `Retry-After` up to 60 s.
    public static let standard = RetryPolicy()
    /// One attempt only.
    public static let none = RetryPolicy(maximumAttempts: 1, maximumRateLimitedAttempts: 1)


    /// The largest backoff before retry number `retry` (1 = the first retry).
    public func backoffCeiling(beforeRetry retry: Int) -> Double {
        let exponent = Double(max(0, retry - 1))
        return min(maximumDelay, baseDelay * pow(2, min(exponent, 62)))
    }

    /// Seconds to wait before retry number `retry`: the server's `Retry-After` when it gave one,
    /// else a uniformly random time in `0...backoffCeiling` ("full jitter"). Nil when the server
    /// asks for longer than `maximumRetryAfter` (the caller gives up).
    public func delay(
        beforeRetry retry: Int, retryAfter: Double?, random: (ClosedRange<Double>) -> Double
    ) -> Double? {
        if let retryAfter {
            // A little jitter on top, so clients refused together do not return together.
            return retryAfter <= maximumRetryAfter ? retryAfter + max(0, random(0...(baseDelay))) : nil
        }
        let ceiling = backoffCeiling(beforeRetry: retry)
        guard ceiling > 0 else { return 0 }
        return min(ceiling, max(0, random(0...ceiling)))
    }

    /// Reads a `Retry-After` header given in seconds (`"3"`); an HTTP date or anything else is
    /// ignored (nil), and the normal backoff applies.
    public static func retryAfterSeconds(_ header: String?) -> Double? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
            text.allSatisfy(\.isASCII), let seconds = Int(text), seconds >= 0
        else { return nil }
        return Double(seconds)
    }
}

/// The client's view of time and chance, injectable so retry and polling tests need no real
/// waiting and no luck.
public struct ClientTiming: Sendable {
    /// A uniformly distributed number in the range (the jitter).
    public var random: @Sendable (ClosedRange<Double>) -> Double
    /// Waits this many seconds (a cancelled task stops waiting early; requests themselves are
    /// never cancelled).
    public var sleep: @Sendable (Double) async -> Void
    /// A monotonic clock in seconds, for durations and deadlines.
    public var now: @Sendable () -> Double

    public init(
        random: @escaping @Sendable (ClosedRange<Double>) -> Double,
        sleep: @escaping @Sendable (Double) async -> Void,
        now: @escaping @Sendable () -> Double
    ) {
        self.random = random
        self.sleep = sleep
        self.now = now
    }

    /// Real randomness, real sleeping, the system's monotonic clock.
    public static let live = ClientTiming(
        random: { Double.random(in: $0) },
        sleep: { seconds in
            guard seconds > 0 else { return }
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
        },
        now: { Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000_000 }
    )
}
