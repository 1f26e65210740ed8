import RestgateHTTP
import RestgateJSON

/// One step of a matched route's handling with one job (authentication, rate limits,
/// idempotency, …), before or around the route's executor. It answers, throws the problem to
/// answer with, or calls `next`. The gateway lists route stages in `GatewayResponder`.
protocol RouteStage: Sendable {
    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse
}
