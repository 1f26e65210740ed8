/// Whether a route's one upstream call happened and what came of it, told by the executor to
/// the stages around it (idempotency keeps decided answers, releases a key whose call never
/// left, and remembers a call whose outcome nobody can know).
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
}
