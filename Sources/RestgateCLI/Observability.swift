import RestgateGateway
import RestgateHTTP
import RestgateMetrics
import RestgateRuntime
import RestgateServer
import RestgateTracing
import RestgateUpstream

/// What the gateway tells about itself, made from `ObservabilitySettings`: the metrics, the
/// tracer and its exporter, and the stages and observers that feed them.
struct Observability {
    let metrics: GatewayMetrics?
    let tracer: Tracer?

    init(settings: ObservabilitySettings, routesSource: String, routesYAML: String, routeCount: Int) throws {
        metrics =
            settings.metrics
            ? GatewayMetrics(
                build: BuildInfo(version: BuildStamp.version, commit: BuildStamp.commit),
                routes: RouteTableInfo(source: routesSource, hash: Digest.sha256Hex(Array(routesYAML.utf8)), count: routeCount)) : nil
        tracer = try settings.tracing.map { Tracer(exporter: try SpanExporter(configuration: $0)) }
        if let metrics, let exporter = tracer?.exporter {
            metrics.setScrapeSources { $0.spansDropped = { exporter.droppedSpans } }
        }
    }

    /// Who hears of every upstream call.
    var observers: [any GraphQLCallObserver] {
        var observers: [any GraphQLCallObserver] = []
        if let metrics { observers.append(metrics) }
        if let tracer { observers.append(tracer) }
        return observers
    }

    /// The request stages, outermost first: metrics see the whole answer, traces start before
    /// anything else looks at the request, and compression is last on the way out.
    func stages(compression: ResponseCompressionStage) -> [any RequestStage] {
        var stages: [any RequestStage] = []
        if let metrics { stages.append(MetricsStage(metrics: metrics)) }
        if let tracer { stages.append(TracingStage(tracer: tracer)) }
        stages.append(compression)
        return stages
    }

    /// What `/metrics` reads when scraped: the server's connections and the upstream pools.
    func observe(server: HTTPServer, clients: [GraphQLClient]) {
        metrics?.setScrapeSources { sources in
            sources.connections = { await server.connectionCensus() }
            sources.upstreams = clients.map(\.upstream).sorted { $0.name < $1.name }
        }
    }

    /// Answers the server made itself never reach the stages; they are counted from the log.
    func count(_ entry: AccessLogEntry) {
        guard !entry.fromResponder, let metrics else { return }
        metrics.recordServerAnswer(
            method: HTTPMethod(rawValue: entry.method), status: entry.status, problemCode: entry.problemCode, duration: entry.duration)
    }

    /// Sends the spans still queued, within `timeout`.
    func shutdown(timeout: Duration) {
        tracer?.exporter.shutdown(timeout: timeout)
    }
}
