import CoreMetrics
import Prometheus
import RestgateServer
import RestgateUpstream
import Synchronization

/// The families read when scraped: requests in flight, connections by state, upstream pools
/// and their counters, dropped spans, and the process.
extension GatewayMetrics {
    func refreshScrapeTimeFamilies() async {
        let sources = self.sources.withLock { $0 }
        gauge("http_server_active_requests", "", "Requests being handled.", []).set(to: Double(activeRequests))
        if let connections = sources.connections {
            let census = await connections()
            let states = [("idle", census.idle), ("reading", census.reading), ("active", census.active), ("closing", census.closing)]
            for (state, count) in states {
                gauge("http_server_open_connections", "", "Open client connections by state.", [("state", state)]).set(to: Double(count))
            }
        }
        for client in sources.upstreams {
            let upstream = [("upstream", client.name)]
            let counts = await client.connectionCounts()
            let help = "Pooled connections to an upstream by state (idle in the pool, busy in a call or connecting)."
            gauge("restgate_upstream_connections", "", help, upstream + [("state", "idle")]).set(to: Double(counts.idle))
            gauge("restgate_upstream_connections", "", help, upstream + [("state", "busy")]).set(to: Double(counts.busy))
            let statistics = client.statistics
            advance("restgate_upstream_connects", "Connections opened to an upstream.", upstream, to: statistics.connectionsOpened)
            advance("restgate_upstream_retries", "Calls retried on a fresh connection.", upstream, to: statistics.retries)
            advance(
                "restgate_upstream_tls_handshakes", "TLS handshakes completed with an upstream.", upstream, to: statistics.tlsHandshakes)
            advance(
                "restgate_upstream_tls_resumptions", "TLS handshakes that resumed an earlier session.", upstream,
                to: statistics.tlsResumptions)
        }
        advance(
            "restgate_spans_dropped", "Spans dropped because the export queue was full or the collector failed.", [],
            to: sources.spansDropped?() ?? 0)
        if let store = sources.storeErrors?() {
            advance(
                "restgate_store_errors", "Commands to the shared store that failed (unreachable, timed out, refused).",
                [("store", store.store)], to: store.errors)
        }
        for figure in sources.figures.flatMap({ $0() }) {
            switch figure.kind {
            case .counter: advance(figure.metric, figure.help, figure.labels, to: figure.value)
            case .gauge: gauge(figure.metric, "", figure.help, figure.labels).set(to: Double(figure.value))
            }
        }
        let process = ProcessStatistics.read()
        gauge("process_resident_memory", "bytes", "Resident memory size in bytes.", []).set(to: process.residentBytes)
        gauge("process_open", "fds", "Number of open file descriptors.", []).set(to: process.openFileDescriptors)
        gauge("process_max", "fds", "Maximum number of open file descriptors.", []).set(to: process.maxFileDescriptors)
        gauge("process_start_time", "seconds", "Start time of the process since the Unix epoch in seconds.", [])
            .set(to: process.startTimeSeconds)
        advanceCPU(to: process.cpuSeconds)
    }

    private func gauge(_ metric: String, _ unit: String, _ help: String, _ labels: [(String, String)]) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: Self.name(metric, unit, help), labels: labels)
    }

    /// Counters kept elsewhere (atomics on the request path) are brought up to their value.
    private func advance(_ metric: String, _ help: String, _ labels: [(String, String)], to value: Int) {
        let counter = registry.makeCounter(descriptor: Self.name(metric, "total", help), labels: labels)
        let key = metric + labels.map { "\u{0}\($0.1)" }.joined()
        let delta = counterValues.withLock { seen -> Int in
            let delta = value - (seen[key] ?? 0)
            seen[key] = value
            return delta
        }
        if delta > 0 { counter.increment(by: Int64(delta)) }
    }

    private func advanceCPU(to seconds: Double) {
        let counter = registry.makeCounter(
            descriptor: Self.name("process_cpu_seconds", "total", "Total user and system CPU time spent in seconds."), labels: [])
        let delta = cpuSeconds.withLock { seen -> Double in
            let delta = seconds - seen
            seen = max(seen, seconds)
            return delta
        }
        if delta > 0 { counter.increment(by: delta) }
    }
}
