/// Whether a route's one upstream call happened and what came of it, told by the executor to
/// the stages around it (idempotency keeps decided answers, releases a key whose call never
/// left, and remembers a call whose outcome nobody can know; the circuit breaker counts failures).
final class UpstreamOutcome: @unchecked Sendable {
    enum State {
        /// Refused before the call, or the connection was never made: nothing reached the upstream.
        case notCalled
        /// The upstream answered: success, GraphQL errors, or a status.
        case decided
        /// The operation was sent and no usable answer came (a timeout, a reset, a broken answer).
        case unknown
    }

    /// Set once, by the executor, on the request's own task.
    var state = State.notCalled
    /// Whether the upstream failed (a transport failure, a 5xx, an answer that is not
    /// GraphQL), for the circuit breaker; nil when no call was made. GraphQL errors in a 200
    /// are the upstream working.
    var failed: Bool?
}
