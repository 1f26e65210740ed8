import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan

/// One step of a matched route's handling with one job (authentication, rate limits,
/// idempotency, …), before or around the route's executor. It answers, throws the problem to
/// answer with, or calls `next`. The gateway lists route stages in `GatewayResponder`, and a
/// route's chain holds only the stages that apply to it.
protocol RouteStage: Sendable {
    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse

    /// Whether the stage has any work on `route`'s requests. Checked once per route when the
    /// table is built, so a request does not pass through stages that would only call `next`.
    func applies(to route: CompiledRoute) -> Bool
}

extension RouteStage {
    func applies(to route: CompiledRoute) -> Bool { true }
}
