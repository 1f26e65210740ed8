/// The process's monotonic clock (`CLOCK_MONOTONIC`).
public struct SystemClock: MonotonicClock {
    public init() {}

    public var now: Instant { Instant.now() }
}
