import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import Synchronization

/// Where a server is in its life, readable from any thread: `/readyz` answers 503 once a
/// drain has begun.
public final class ServerLifecycle: Sendable {
    public enum State: Int, Sendable {
        case starting = 0
        case running = 1
        case draining = 2
        case stopped = 3
    }

    private let raw = Atomic<Int>(State.starting.rawValue)

    public init() {}

    public var state: State { State(rawValue: raw.load(ordering: .acquiring)) ?? .stopped }

    public var isDraining: Bool { state == .draining || state == .stopped }

    package func transition(to state: State) {
        raw.store(state.rawValue, ordering: .releasing)
    }
}
