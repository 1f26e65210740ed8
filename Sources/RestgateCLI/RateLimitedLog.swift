import RestgateRuntime
import Synchronization

/// At most one log line a second for a failure that may repeat on every request.
final class RateLimitedLog: Sendable {
    private let last = Mutex<Instant?>(nil)

    func shouldLog() -> Bool {
        let now = Instant.now()
        return last.withLock { last in
            if let previous = last, now.duration(since: previous) < .seconds(1) { return false }
            last = now
            return true
        }
    }
}
