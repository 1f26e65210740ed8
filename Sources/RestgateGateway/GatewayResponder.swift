public import RestgateHTTP

/// The gateway's answer to every request: health and readiness, the pages behind each
/// problem `type`, and (from later issues) the REST routes.
public struct GatewayResponder: HTTPResponder {
    private let router: Router

    public init(lifecycle: ServerLifecycle, retryAfterSeconds: Int = 5) {
        var router = Router()
        router.add(.get, "/healthz") { _, _ throws(Problem) in
            HTTPResponse.json(200, Array(#"{"status":"ok"}"#.utf8))
        }
        router.add(.get, "/readyz") { _, _ throws(Problem) in
            guard !lifecycle.isDraining else {
                throw Problem(
                    .unavailable, detail: "The gateway is draining and takes no new work.",
                    headers: [("Retry-After", String(retryAfterSeconds))])
            }
            return HTTPResponse.json(200, Array(#"{"status":"ready"}"#.utf8))
        }
        router.add(.get, "/problems/{slug}") { _, parameters throws(Problem) in
            guard let code = ProblemCode.catalogue.first(where: { $0.slug == parameters["slug"] }) else {
                throw Problem(.routeNotFound, detail: "There is no problem type named '\(parameters["slug"] ?? "")'.")
            }
            let page = "\(code.title)\n\ncode: \(code.name)\nstatus: \(code.status)\n\n\(code.explanation)\n"
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(page.utf8))
        }
        self.router = router
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        await router.respond(to: request)
    }
}
