/// Where a component reads the time from. Components that decide by time (the upstream pool's
/// reuse rule, the readiness probes) take one, so tests hand them a `ManualClock` and move
/// time by hand instead of sleeping.
public protocol MonotonicClock: Sendable {
    var now: Instant { get }

    /// Whether the time jumps when told to (a test's clock): only then do loops register
    /// with `onAdvance`.
    var isManual: Bool { get }

    /// Calls `wake` whenever the time jumps, so an event loop that sleeps in `epoll_wait`
    /// looks at its timers again at once.
    func onAdvance(_ wake: @escaping @Sendable () -> Void)
}

extension MonotonicClock {
    public var isManual: Bool { false }

    public func onAdvance(_ wake: @escaping @Sendable () -> Void) {}
}
