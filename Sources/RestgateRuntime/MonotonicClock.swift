/// Where a component reads the time from. Components that decide by time (the upstream pool's
/// reuse rule, the readiness probes) take one, so tests hand them a `ManualClock` and move
/// time by hand instead of sleeping.
public protocol MonotonicClock: Sendable {
    var now: Instant { get }
}
