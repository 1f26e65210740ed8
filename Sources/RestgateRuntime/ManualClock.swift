import Synchronization

/// A clock that moves only when told to, for tests of timeouts: a test sets up a state,
/// advances past a deadline and checks what happened, in microseconds and deterministically.
public final class ManualClock: MonotonicClock {
    private let current: Mutex<Instant>
    private let observers = Mutex<[@Sendable () -> Void]>([])

    public init(_ start: Instant = Instant(nanoseconds: 1_000_000_000)) {
        current = Mutex(start)
    }

    public var now: Instant { current.withLock { $0 } }

    public var isManual: Bool { true }

    /// Moves the time on and wakes every loop that runs on this clock.
    public func advance(by duration: Duration) {
        current.withLock { $0 = $0 + duration }
        for wake in observers.withLock({ $0 }) { wake() }
    }

    public func onAdvance(_ wake: @escaping @Sendable () -> Void) {
        observers.withLock { $0.append(wake) }
    }
}
