import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer

/// Conditional GET (RFC 9110 §13.1.2, §15.4.5): every 200 answer to a `GET` or `HEAD` carries a
/// strong `ETag` made from its body and the route's `Cache-Control` (`private, no-cache` unless
/// the route file says otherwise); a request whose `If-None-Match` matches gets 304 with no body,
/// so a polling job is not sent the same list again. The compression stage weakens the tag of a
/// gzipped answer, which `If-None-Match`'s weak comparison still matches.
struct ConditionalGetStage: RouteStage {
    static let defaultCacheControl = "private, no-cache"

    /// A `HEAD` request is matched to its `GET` route.
    func applies(to route: CompiledRoute) -> Bool { route.definition.method == .get || route.definition.method == .head }

    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse {
        let method = call.request.method
        guard method == .get || method == .head else { return try await next(call) }
        var response = try await next(call)
        guard response.status == 200 else { return response }
        let tag = EntityTag.strong(for: response.body)
        let cacheControl = call.route.definition.cacheControl ?? Self.defaultCacheControl
        response.headers.append(("ETag", tag))
        response.headers.append(("Cache-Control", cacheControl))
        let conditions = call.request.headers.values("if-none-match")
        guard !conditions.isEmpty, EntityTag.noneMatch(conditions, current: tag) else { return response }
        // The 304 keeps the fields a 200 would have sent that describe the representation.
        let kept = response.headers.filter { field in
            ["etag", "cache-control", "vary", "content-location", "expires", "link"].contains(field.name.lowercased())
        }
        var notModified = HTTPResponse(status: 304, headers: kept)
        notModified.notes = response.notes
        notModified.notes.notModifiedBody = (response.body.count, response.header("content-type"))
        return notModified
    }
}
