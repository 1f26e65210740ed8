import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer

/// Tells the clients of a route the route file deprecates, on every answer (errors too):
/// `Deprecation: @SECONDS` (RFC 9745), `Sunset: HTTP-date` (RFC 8594) and
/// `Link: <URL>; rel="deprecation"`.
struct DeprecationStage: RouteStage {
    func applies(to route: CompiledRoute) -> Bool { route.definition.deprecation != nil }

    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse {
        guard let deprecation = call.route.definition.deprecation else { return try await next(call) }
        return try await next(call, adding: Self.headers(deprecation))
    }

    static func headers(_ deprecation: RouteDeprecation) -> [(name: String, value: String)] {
        var headers = [("Deprecation", "@\(deprecation.since)")]
        if let sunset = deprecation.sunset { headers.append(("Sunset", DateCache.format(Int(sunset)))) }
        if let link = deprecation.link { headers.append(("Link", "<\(link)>; rel=\"deprecation\"")) }
        return headers
    }
}
