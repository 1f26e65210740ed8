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
    /// The router of the route table in use; nil for the admin listener, which has no routes.
    private let table: RouteTable?
    private let assembly: Assembly?

    /// What a route table is built with besides its routes: kept, so that a reload builds the
    /// new table exactly as the first.
    private struct Assembly: Sendable {
        var lifecycle: ServerLifecycle
        var upstreams: UpstreamMonitor?
        var clients: [String: GraphQLClient]
        var retryAfterSeconds: Int
        var metrics: GatewayMetrics?
        /// Whether `/metrics` is served here; false when an admin listener serves it instead.
        var servesMetrics: Bool
        var idempotency: IdempotencySettings?
        var edge: EdgeSettings
        var drift: SchemaDrift?
        var onUpstreamFault: (@Sendable (_ route: String, _ problem: Problem) -> Void)?
    }

    /// `routes` are the validated REST routes; each calls the `clients` entry of its upstream.
    public init(
        lifecycle: ServerLifecycle, upstreams: UpstreamMonitor? = nil, routes: [CompiledRoute] = [], clients: [String: GraphQLClient] = [:],
        openAPI: OpenAPIText? = nil, retryAfterSeconds: Int = 5, stages: [any RequestStage] = [ResponseCompressionStage()],
        metrics: GatewayMetrics? = nil, servesMetrics: Bool = true, idempotency: IdempotencySettings? = nil,
        edge: EdgeSettings = EdgeSettings(), drift: SchemaDrift? = nil,
        onUpstreamFault: (@Sendable (_ route: String, _ problem: Problem) -> Void)? = nil
    ) {
        let assembly = Assembly(
            lifecycle: lifecycle, upstreams: upstreams, clients: clients, retryAfterSeconds: retryAfterSeconds, metrics: metrics,
            servesMetrics: servesMetrics, idempotency: idempotency, edge: edge, drift: drift, onUpstreamFault: onUpstreamFault)
        let table = RouteTable(Self.router(routes: routes, openAPI: openAPI, assembly: assembly))
        self.assembly = assembly
        self.table = table
        pipeline = RequestPipeline(stages, endpoint: table)
    }

    /// Serves `routes` from now on: the new table is built whole, then swapped in at once.
    /// Requests in flight finish on the table they started with; `/openapi.json` follows.
    public func reload(routes: [CompiledRoute], openAPI: OpenAPIText?) {
        guard let table, let assembly else { return }
        table.swap(Self.router(routes: routes, openAPI: openAPI, assembly: assembly))
    }

    private static func router(routes: [CompiledRoute], openAPI: OpenAPIText?, assembly: Assembly) -> Router {
        let edge = assembly.edge
        // Outermost first. Faults are reported whatever stage raised them; the token is
        // checked before anything else touches the request, and limits count verified
        // clients; the breaker sits closest to the executor, so a replay needs no upstream.
        var routeStages: [any RouteStage] = []
        if let onUpstreamFault = assembly.onUpstreamFault { routeStages.append(UpstreamFaultStage(report: onUpstreamFault)) }
        routeStages.append(DeprecationStage())
        routeStages.append(
            AuthenticationStage(verifiers: edge.verifiers, statistics: edge.statistics, throttle: edge.refusalThrottle))
        let limited = edge.defaultRateLimit != nil || routes.contains { $0.definition.rateLimit != nil }
        if let store = edge.rateLimitStore, limited {
            routeStages.append(
                RateLimitStage(
                    store: store, defaultPolicy: edge.defaultRateLimit, failClosed: edge.rateLimitFailClosed, statistics: edge.statistics,
                    onStoreFailure: edge.onRateLimitStoreFailure))
        }
        if let idempotency = assembly.idempotency {
            routeStages.append(IdempotencyStage(store: idempotency.store, ttl: idempotency.ttl, lease: idempotency.lease))
        }
        if !edge.breakers.isEmpty { routeStages.append(CircuitBreakerStage(breakers: edge.breakers)) }
        // Innermost: the tag is made from the executor's own body.
        routeStages.append(ConditionalGetStage())
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
            guard let client = assembly.clients[route.definition.upstream] else { continue }
            let stages = routeStages.filter { $0.applies(to: route) }
            let chain = RouteChain(stages: stages[...], executor: RouteExecutor(route: route, client: client))
            let shared = SharedRoute(route)
            router.add(route.definition.method, route.definition.path) { request, parameters throws(Problem) in
                try await chain(RouteCall(request: request, parameters: parameters, route: shared))
            }
        }
        addOperatorEndpoints(
            to: &router, lifecycle: assembly.lifecycle, upstreams: assembly.upstreams, retryAfterSeconds: assembly.retryAfterSeconds,
            metrics: assembly.servesMetrics ? assembly.metrics : nil, store: assembly.idempotency?.store, edge: edge,
            drift: assembly.drift)
        let codes = ProblemCode.all(answeredBy: routes)
        router.add(.get, "/problems/{slug}") { [codes] _, parameters throws(Problem) in
            guard let code = codes.first(where: { $0.slug == parameters["slug"] }) else {
                throw Problem(.routeNotFound, detail: "There is no problem type named '\(parameters["slug"] ?? "")'.")
            }
            let page = "\(code.title)\n\ncode: \(code.name)\nstatus: \(code.status)\n\n\(code.explanation)\n"
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(page.utf8))
        }
        return router
    }

    /// The responder of the admin listener (`--admin-port`): health, readiness and metrics only.
    public init(
        adminFor lifecycle: ServerLifecycle, upstreams: UpstreamMonitor?, retryAfterSeconds: Int = 5, metrics: GatewayMetrics?,
        store: (any SharedStore)? = nil, edge: EdgeSettings = EdgeSettings(), drift: SchemaDrift? = nil,
        stages: [any RequestStage] = [ResponseCompressionStage()]
    ) {
        var router = Router()
        Self.addOperatorEndpoints(
            to: &router, lifecycle: lifecycle, upstreams: upstreams, retryAfterSeconds: retryAfterSeconds, metrics: metrics, store: store,
            edge: edge, drift: drift)
        pipeline = RequestPipeline(stages, endpoint: router)
        table = nil
        assembly = nil
    }

    private static func addOperatorEndpoints(
        to router: inout Router, lifecycle: ServerLifecycle, upstreams: UpstreamMonitor?, retryAfterSeconds: Int, metrics: GatewayMetrics?,
        store: (any SharedStore)?, edge: EdgeSettings, drift: SchemaDrift?
    ) {
        router.add(.get, "/healthz") { _, _ throws(Problem) in
            HTTPResponse.json(200, Array(#"{"status":"ok"}"#.utf8))
        }
        router.add(.get, "/readyz") { _, _ throws(Problem) in
            try Readiness.answer(
                lifecycle: lifecycle, upstreams: upstreams, retryAfterSeconds: retryAfterSeconds, store: store, edge: edge, drift: drift)
        }
        if let metrics {
            router.add(.get, "/metrics") { request, _ throws(Problem) in
                let (contentType, body) = await metrics.scrape(accept: request.headers["accept"])
                return HTTPResponse(status: 200, headers: [("Content-Type", contentType)], body: body)
            }
        }
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        await pipeline.respond(to: request)
    }
}
