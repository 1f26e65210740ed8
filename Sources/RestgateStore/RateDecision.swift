/// What the store decided for one request under a rate limit (GCRA): whether it passes, and
/// how far the client's theoretical arrival time now lies ahead, from which the stage works
/// out what is left and when to come back.
public struct RateDecision: Sendable, Equatable {
    public var allowed: Bool
    /// The theoretical arrival time minus now, in microseconds, after this request (when it
    /// passed) or as it stands (when it did not).
    public var backlogMicroseconds: Int64

    public init(allowed: Bool, backlogMicroseconds: Int64) {
        self.allowed = allowed
        self.backlogMicroseconds = backlogMicroseconds
    }

    /// GCRA over a theoretical arrival time `tat` (nil: the client is new): a request passes
    /// when, after adding its `interval`, the backlog fits in `capacity` intervals. Returns the
    /// decision and the new `tat`, the same arithmetic in memory and in the Redis script.
    public static func gcra(tat: Int64?, now: Int64, interval: Int64, capacity: Int) -> (decision: RateDecision, tat: Int64) {
        let start = max(tat ?? now, now)
        let next = start + interval
        guard next - now <= interval * Int64(capacity) else {
            return (RateDecision(allowed: false, backlogMicroseconds: start - now), start)
        }
        return (RateDecision(allowed: true, backlogMicroseconds: next - now), next)
    }
}
