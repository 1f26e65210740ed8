public import RestgateHTTP
public import RestgateJSON
public import RestgateMetrics
public import RestgateRoutePlan
import RestgateRuntime
public import RestgateServer
public import RestgateStore
public import RestgateUpstream

/// The gateway's answer to every request: health and readiness, the pages behind each
/// problem `type`, the OpenAPI document, and the REST routes of the route file.
///
/// Every request runs through `stages` (request stages, for every request) to the router;
/// a matched route of the route file then runs through its route stages to its executor.
/// ARCHITECTURE.md gives the order and why.
public struct GatewayResponder: HTTPResponder {
    private let pipeline: RequestPipeline

    /// `routes` are the validated REST routes; each calls the `clients` entry of its upstream.
    public init(
        lifecycle: ServerLifecycle, upstreams: UpstreamMonitor? = nil, routes: [CompiledRoute] = [], clients: [String: GraphQLClient] = [:],
        openAPI: OpenAPIText? = nil, retryAfterSeconds: Int = 5, stages: [any RequestStage] = [ResponseCompressionStage()],
        metrics: GatewayMetrics? = nil, idempotency: IdempotencySettings? = nil,
        onUpstreamFault: (@Sendable (_ route: String, _ problem: Problem) -> Void)? = nil
    ) {
        // Outermost first. Faults are reported whatever stage raised them; the token is
        // checked before anything else touches the request.
        var routeStages: [any RouteStage] = []
        if let onUpstreamFault { routeStages.append(UpstreamFaultStage(report: onUpstreamFault)) }
        routeStages.append(AuthenticationStage())
        if let idempotency {
            routeStages.append(IdempotencyStage(store: idempotency.store, ttl: idempotency.ttl, lease: idempotency.lease))
        }
        var router = Router()
        if let openAPI {
            let json = openAPI.json
            let yaml = openAPI.yaml
            router.add(.get, "/openapi.json") { _, _ throws(Problem) in HTTPResponse.json(200, json) }
            router.add(.get, "/openapi.yaml") { _, _ throws(Problem) in
                HTTPResponse(status: 200, headers: [("Content-Type", "application/yaml")], body: yaml)
            }
        }
        for route in routes {
            guard let client = clients[route.definition.upstream] else { continue }
            let chain = RouteChain(stages: routeStages[...], executor: RouteExecutor(route: route, client: client))
            router.add(route.definition.method, route.definition.path) { request, parameters throws(Problem) in
                try await chain(RouteCall(request: request, parameters: parameters, route: route))
            }
        }
        Self.addOperatorEndpoints(
            to: &router, lifecycle: lifecycle, upstreams: upstreams, retryAfterSeconds: retryAfterSeconds, metrics: metrics,
            store: idempotency?.store)
        let codes = ProblemCode.all(answeredBy: routes)
        router.add(.get, "/problems/{slug}") { [codes] _, parameters throws(Problem) in
            guard let code = codes.first(where: { $0.slug == parameters["slug"] }) else {
                throw Problem(.routeNotFound, detail: "There is no problem type named '\(parameters["slug"] ?? "")'.")
            }
            let page = "\(code.title)\n\ncode: \(code.name)\nstatus: \(code.status)\n\n\(code.explanation)\n"
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(page.utf8))
        }
        pipeline = RequestPipeline(stages, endpoint: router)
    }

    /// The responder of the admin listener (`--admin-port`): health, readiness and metrics only.
    public init(
        adminFor lifecycle: ServerLifecycle, upstreams: UpstreamMonitor?, retryAfterSeconds: Int = 5, metrics: GatewayMetrics?,
        store: (any SharedStore)? = nil, stages: [any RequestStage] = [ResponseCompressionStage()]
    ) {
        var router = Router()
        Self.addOperatorEndpoints(
            to: &router, lifecycle: lifecycle, upstreams: upstreams, retryAfterSeconds: retryAfterSeconds, metrics: metrics, store: store)
        pipeline = RequestPipeline(stages, endpoint: router)
    }

    private static func addOperatorEndpoints(
        to router: inout Router, lifecycle: ServerLifecycle, upstreams: UpstreamMonitor?, retryAfterSeconds: Int, metrics: GatewayMetrics?,
        store: (any SharedStore)?
    ) {
        router.add(.get, "/healthz") { _, _ throws(Problem) in
            HTTPResponse.json(200, Array(#"{"status":"ok"}"#.utf8))
        }
        router.add(.get, "/readyz") { _, _ throws(Problem) in
            try Self.readiness(lifecycle: lifecycle, upstreams: upstreams, retryAfterSeconds: retryAfterSeconds, store: store)
        }
        if let metrics {
            router.add(.get, "/metrics") { request, _ throws(Problem) in
                let (contentType, body) = await metrics.scrape(accept: request.headers["accept"])
                return HTTPResponse(status: 200, headers: [("Content-Type", contentType)], body: body)
            }
        }
    }

    /// Ready when not draining and every upstream answered its last probe. The body lists each
    /// upstream either way, with the kind of failure, so an operator sees which one is down and
    /// why; addresses and error details stay in the log, away from whoever asks.
    private static func readiness(
        lifecycle: ServerLifecycle, upstreams: UpstreamMonitor?, retryAfterSeconds: Int, store: (any SharedStore)?
    ) throws(Problem)
        -> HTTPResponse
    {
        let retry = [("Retry-After", String(retryAfterSeconds))]
        guard !lifecycle.isDraining else {
            throw Problem(.unavailable, detail: "The gateway is draining and takes no new work.", headers: retry)
        }
        let statuses = upstreams?.statuses ?? []
        let down = statuses.filter { $0.isReachable != true }
        guard down.isEmpty else {
            let errors = down.map { status in
                ProblemError(
                    message: "\(status.name): \(status.isReachable == nil ? "not checked yet" : status.failureKind ?? "unreachable")",
                    path: status.name, code: "UPSTREAM_UNREACHABLE")
            }
            let names = down.map(\.name).joined(separator: ", ")
            throw Problem(.unavailable, detail: "Upstream not reachable: \(names).", errors: errors, headers: retry)
        }
        var json = JSONWriter()
        json.beginObject()
        json.member("status", "ready")
        json.key("upstreams")
        json.beginObject()
        for status in statuses {
            json.key(status.name)
            json.beginObject()
            json.key("reachable")
            json.bool(true)
            json.key("sandbox")
            json.bool(status.isSandbox)
            json.endObject()
        }
        json.endObject()
        // The store does not make the gateway unready: requests without a key still work, and
        // keyed ones get 503 STORE_UNAVAILABLE while it is down.
        if let store {
            json.key("store")
            json.beginObject()
            json.member("kind", store.kind)
            json.key("available")
            json.bool(store.isAvailable)
            json.endObject()
        }
        json.endObject()
        return HTTPResponse.json(200, json.bytes)
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        await pipeline.respond(to: request)
    }
}
