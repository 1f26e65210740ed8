import RestgateJSON
import RestgateRoutePlan
import RestgateServer
import RestgateTokens

/// A request matched to a route of the route file: what every route stage sees.
struct RouteCall: Sendable {
    var request: HTTPRequest
    var parameters: PathParameters
    private let shared: SharedRoute
    var route: CompiledRoute { shared.route }
    /// The bearer token as verified (`AuthenticationStage`, when its upstream has keys).
    var token: VerifiedToken?
    /// Set by a stage that needs to know whether the upstream call happened (idempotency).
    var upstreamOutcome: UpstreamOutcome?
    /// The body as parsed by a stage that needed it (idempotency), so the executor does not
    /// parse it again.
    var parsedBody: JSONValue?

    init(request: HTTPRequest, parameters: PathParameters, route: SharedRoute) {
        self.request = request
        self.parameters = parameters
        shared = route
    }
}
