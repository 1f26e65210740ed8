import RestgateRoutePlan
import RestgateServer

/// A request matched to a route of the route file: what every route stage sees.
struct RouteCall: Sendable {
    var request: HTTPRequest
    var parameters: PathParameters
    let route: CompiledRoute
    /// Set by a stage that needs to know whether the upstream call happened (idempotency).
    var upstreamOutcome: UpstreamOutcome?
}
