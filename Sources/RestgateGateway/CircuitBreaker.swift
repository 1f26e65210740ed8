public import RestgateRuntime
import Synchronization

/// One upstream's circuit breaker. Closed, it counts failures (a transport failure, a 5xx, an
/// answer that is not GraphQL); `failures` in a row, or a failure ratio of at least
/// `failureRatio` over `minimumCalls` or more calls in the current `window`, open it. Open,
/// every call is refused at once for `openDuration`; then one probe call is let through
/// (half-open), and its outcome closes the breaker or opens it again.
public final class CircuitBreaker: Sendable {
    public struct Configuration: Sendable {
        public var failures = 5
        public var openDuration: Duration = .seconds(10)
        public var failureRatio = 0.5
        public var window: Duration = .seconds(30)
        public var minimumCalls = 20

        public init() {}
    }

    public enum Phase: Int, Sendable {
        case closed = 0
        case open = 1
        case halfOpen = 2

        public var name: String {
            switch self {
            case .closed: "closed"
            case .open: "open"
            case .halfOpen: "half_open"
            }
        }
    }

    enum Admission: Equatable {
        case pass
        /// The one call of the half-open state; its outcome decides.
        case probe
        case refused(retryAfter: Duration)
    }

    private struct State {
        var phase = Phase.closed
        var consecutive = 0
        var windowStart: Instant
        var calls = 0
        var failed = 0
        var openUntil = Instant(nanoseconds: 0)
        var probing = false
        var opened = 0
    }

    public let upstream: String
    public let configuration: Configuration
    private let clock: any MonotonicClock
    private let state: Mutex<State>

    public init(upstream: String, configuration: Configuration, clock: any MonotonicClock = SystemClock()) {
        self.upstream = upstream
        self.configuration = configuration
        self.clock = clock
        state = Mutex(State(windowStart: clock.now))
    }

    /// The state now, for metrics and `/readyz`; an open breaker whose time is up reads half-open.
    public var phase: Phase {
        let now = clock.now
        return state.withLock { $0.phase == .open && now >= $0.openUntil ? .halfOpen : $0.phase }
    }

    /// How many times it opened, for metrics.
    public var timesOpened: Int { state.withLock { $0.opened } }

    func admit() -> Admission {
        let now = clock.now
        return state.withLock { state in
            switch state.phase {
            case .closed:
                return .pass
            case .open where now < state.openUntil:
                return .refused(retryAfter: state.openUntil.duration(since: now))
            case .open, .halfOpen:
                guard !state.probing else { return .refused(retryAfter: configuration.openDuration) }
                state.phase = .halfOpen
                state.probing = true
                return .probe
            }
        }
    }

    /// A call's outcome: `failed` nil when no call was made (the request was refused before it).
    func record(failed: Bool?, probe: Bool) {
        let now = clock.now
        state.withLock { state in
            if probe {
                state.probing = false
                switch failed {
                case true?: open(&state, now)
                case false?: close(&state, now)
                case nil: break  // no call: the next request probes instead
                }
                return
            }
            guard state.phase == .closed, let failed else { return }
            if now.duration(since: state.windowStart) >= configuration.window {
                state.windowStart = now
                state.calls = 0
                state.failed = 0
            }
            state.calls += 1
            if failed {
                state.consecutive += 1
                state.failed += 1
            } else {
                state.consecutive = 0
            }
            let ratio = Double(state.failed) / Double(state.calls)
            if state.consecutive >= configuration.failures
                || (state.calls >= configuration.minimumCalls && ratio >= configuration.failureRatio)
            {
                open(&state, now)
            }
        }
    }

    private func open(_ state: inout State, _ now: Instant) {
        state.phase = .open
        state.openUntil = now + configuration.openDuration
        state.opened += 1
    }

    private func close(_ state: inout State, _ now: Instant) {
        state = State(windowStart: now, opened: state.opened)
    }
}
