import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer

/// Reports every 5xx answer of a route: those are the gateway's or the upstream's fault,
/// never the client's (a contract mismatch means the route file is wrong).
struct UpstreamFaultStage: RouteStage {
    let report: @Sendable (_ route: String, _ problem: Problem) -> Void

    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse {
        do throws(Problem) {
            return try await next(call)
        } catch {
            if error.status >= 500 { report(call.route.definition.id, error) }
            throw error
        }
    }
}
