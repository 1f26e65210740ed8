import CoreMetrics
public import Prometheus
public import RestgateHTTP
import RestgateRuntime
public import RestgateServer
public import RestgateUpstream
import Synchronization

/// Every family Restgate exports, recorded through swift-metrics' API into one swift-prometheus
/// registry. Request-path records find their labelled metric in a cache (one lock, taken
/// briefly); scrape-time families (connections, pools, the process) are read when scraped.
public final class GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let requestTimers = Mutex<[RequestLabels: CoreMetrics.Timer]>([:])
    let upstreamTimers = Mutex<[UpstreamLabels: CoreMetrics.Timer]>([:])
    let errorCounters = Mutex<[ErrorLabels: CoreMetrics.Counter]>([:])
    /// Requests in flight off any loop (a test calling a stage directly); loops keep their own.
    let active = Atomic<Int>(0)
    let loops = Mutex<[LoopMetrics]>([])
    let sources: Mutex<ScrapeSources>
    /// The last value of each counter brought up to date at a scrape.
    let counterValues = Mutex<[String: Int]>([:])
    let cpuSeconds = Mutex<Double>(0)
    /// `restgate_routes_info` of the table in use, replaced by a reload.
    private let routeTable = Mutex<Prometheus.Gauge?>(nil)

    /// What is read at scrape time rather than recorded as it happens.
    public struct ScrapeSources: Sendable {
        public var connections: (@Sendable () async -> ConnectionCensus)?
        public var upstreams: [UpstreamClient] = []
        /// Drops counted elsewhere (the span exporter), read at each scrape.
        public var spansDropped: (@Sendable () -> Int)?
        /// The shared store's failed commands (Redis), with the store's kind.
        public var storeErrors: (@Sendable () -> (store: String, errors: Int))?
        /// Figures of other modules (the edge stages, key sets, breakers), read at each scrape.
        public var figures: [@Sendable () -> [ScrapeFigure]] = []

        public init() {}
    }

    /// Seconds: sub-millisecond steps first, since a gateway hop is that short.
    static let durationBuckets: [Duration] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ].map { Duration.nanoseconds(Int64($0 * 1e9)) }

    public init(build: BuildInfo, routes: RouteTableInfo) {
        registry = PrometheusCollectorRegistry()
        sources = Mutex(ScrapeSources())
        let buildInfo = registry.makeGauge(
            descriptor: Self.name("restgate_build", "info", "The running build: version and commit (always 1)."),
            labels: [("version", build.version), ("commit", build.commit)])
        buildInfo.set(to: 1.0)
        setRouteTable(routes)
    }

    /// The route table in use now: the old series goes, so one `restgate_routes_info` stands.
    public func setRouteTable(_ routes: RouteTableInfo) {
        routeTable.withLock { gauge in
            if let gauge { registry.unregisterGauge(gauge) }
            let info = registry.makeGauge(
                descriptor: Self.name("restgate_routes", "info", "The route table in use: its source and a hash of it (always 1)."),
                labels: [("source", routes.source), ("sha256", routes.hash), ("routes", String(routes.count))])
            info.set(to: 1.0)
            gauge = info
        }
    }

    public func setScrapeSources(_ update: @Sendable (inout ScrapeSources) -> Void) {
        sources.withLock { update(&$0) }
    }

    // MARK: Requests

    /// A request entered the pipeline; `requestEnded` follows, with the same `local`, when its
    /// answer is ready. `local` is the loop's share (`local()`), looked up once per request.
    func requestStarted(local: LoopMetrics?) {
        if let local { local.active.add(1, ordering: .relaxed) } else { active.add(1, ordering: .relaxed) }
    }

    func requestEnded(
        local: LoopMetrics?, route: String?, method: HTTPMethod, status: Int, problemCode: String?, duration: Duration
    ) {
        if let local { local.active.subtract(1, ordering: .relaxed) } else { active.subtract(1, ordering: .relaxed) }
        record(local: local, route: route, method: method, status: status, problemCode: problemCode, duration: duration)
    }

    /// Requests in flight over every loop.
    var activeRequests: Int {
        loops.withLock { $0.reduce(0) { $0 + $1.active.load(ordering: .relaxed) } } + active.load(ordering: .relaxed)
    }

    /// The running loop's share, made on first use; nil off a loop.
    func local() -> LoopMetrics? {
        guard let loop = EventLoop.current else { return nil }
        let table = loop.local(LoopMetrics.Table.self) { LoopMetrics.Table() }
        if let metrics = table.byOwner[ObjectIdentifier(self)] { return metrics }
        let metrics = LoopMetrics()
        table.byOwner[ObjectIdentifier(self)] = metrics
        loops.withLock { $0.append(metrics) }
        return metrics
    }

    /// An answer the server made itself, before any stage (a request it could not read).
    public func recordServerAnswer(method: HTTPMethod, status: Int, problemCode: String?, duration: Duration) {
        record(local: local(), route: nil, method: method, status: status, problemCode: problemCode, duration: duration)
    }

    private func record(local: LoopMetrics?, route: String?, method: HTTPMethod, status: Int, problemCode: String?, duration: Duration) {
        let labels = RequestLabels(
            route: route ?? RequestLabels.unmatched, method: RequestLabels.boundedMethod(method), status: status, code: problemCode ?? "")
        if let local, let timer = local.requestTimers[labels] {
            timer.recordNanoseconds(duration.nanoseconds)
            return
        }
        let timer = requestTimers.withLock { timers in
            if let timer = timers[labels] { return timer }
            let histogram = registry.makeDurationHistogram(
                descriptor: Self.name(
                    "http_server_request_duration", "seconds",
                    "Time from the request's head to its answer, by route template, method, status and problem code."),
                labels: labels.pairs, buckets: Self.durationBuckets)
            let timer = CoreMetrics.Timer(label: "http_server_request_duration_seconds", dimensions: labels.pairs, handler: histogram)
            timers[labels] = timer
            return timer
        }
        local?.requestTimers[labels] = timer
        timer.recordNanoseconds(duration.nanoseconds)
    }

    // MARK: Exposition

    /// The exposition in the format `accept` prefers: OpenMetrics 1.0 when the scraper asks for
    /// it, else the Prometheus text format 0.0.4.
    public func scrape(accept: String?) async -> (contentType: String, body: [UInt8]) {
        await refreshScrapeTimeFamilies()
        var text: [UInt8] = []
        registry.emit(into: &text)
        return MetricsExposition.render(text, accept: accept)
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: metric, unitName: unit, helpText: help)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
