import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer

/// Refuses a request to a route that needs a token when it carries none that could be a JWT
/// (401), before any upstream call; the upstream verifies the token itself.
struct AuthenticationStage: RouteStage {
    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse {
        if call.route.definition.authentication == .bearer { try BearerToken.require(call.request.headers) }
        return try await next(call)
    }
}
