import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer

/// Spares a failing upstream: while its breaker is open, a route's call is answered at once
/// with 503 `UPSTREAM_UNAVAILABLE` and `Retry-After`, with no connection attempt. The route
/// stage closest to the executor, so an idempotent replay is still served while it is open,
/// and only what reached the upstream is counted.
struct CircuitBreakerStage: RouteStage {
    /// By upstream name.
    let breakers: [String: CircuitBreaker]

    func applies(to route: CompiledRoute) -> Bool { breakers[route.definition.upstream] != nil }

    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse {
        guard let breaker = breakers[call.route.definition.upstream] else { return try await next(call) }
        let admission = breaker.admit()
        if case .refused(let wait) = admission {
            let seconds = max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))
            var problem = Problem(
                .upstreamUnavailable,
                detail: "The upstream '\(breaker.upstream)' failed repeatedly; calls to it are paused (circuit breaker open).",
                headers: [("Retry-After", String(seconds))])
            problem.statusOverride = 503
            throw problem
        }
        let outcome = call.upstreamOutcome ?? UpstreamOutcome()
        var observed = call
        observed.upstreamOutcome = outcome
        do {
            let response = try await next(observed)
            breaker.record(failed: outcome.failed, probe: admission == .probe)
            return response
        } catch {
            breaker.record(failed: outcome.failed, probe: admission == .probe)
            throw error
        }
    }
}
