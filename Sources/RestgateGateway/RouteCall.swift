import RestgateJSON
import RestgateRoutePlan
import RestgateServer

/// A request matched to a route of the route file: what every route stage sees.
struct RouteCall: Sendable {
    var request: HTTPRequest
    var parameters: PathParameters
    let route: CompiledRoute
    /// Set by a stage that needs to know whether the upstream call happened (idempotency).
    var upstreamOutcome: UpstreamOutcome?
    /// The body as parsed by a stage that needed it (idempotency), so the executor does not
    /// parse it again.
    var parsedBody: JSONValue?
}
