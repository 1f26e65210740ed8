import CoreMetrics
import Prometheus
public import RestgateUpstream
import Synchronization

/// Upstream calls: their duration by outcome and the GraphQL errors they returned.
extension GatewayMetrics: GraphQLCallObserver {
    public func observe(_ record: GraphQLCallRecord) {
        let labels = UpstreamLabels(upstream: record.upstream, operation: record.operationName, outcome: record.outcome.rawValue)
        timer(for: labels).recordNanoseconds(record.duration.nanoseconds)
        for code in record.errorCodes {
            counter(for: ErrorLabels(upstream: record.upstream, operation: record.operationName, code: code)).increment()
        }
    }

    private func timer(for labels: UpstreamLabels) -> CoreMetrics.Timer {
        let local = local()
        if let timer = local?.upstreamTimers[labels] { return timer }
        let timer = upstreamTimers.withLock { timers in
            if let timer = timers[labels] { return timer }
            let histogram = registry.makeDurationHistogram(
                descriptor: Self.name(
                    "restgate_upstream_request_duration", "seconds", "Time of each GraphQL call to an upstream, by operation and outcome."),
                labels: labels.pairs, buckets: Self.durationBuckets)
            let timer = CoreMetrics.Timer(label: "restgate_upstream_request_duration_seconds", dimensions: labels.pairs, handler: histogram)
            timers[labels] = timer
            return timer
        }
        local?.upstreamTimers[labels] = timer
        return timer
    }

    private func counter(for proposed: ErrorLabels) -> CoreMetrics.Counter {
        errorCounters.withLock { counters in
            var labels = proposed
            if counters[labels] == nil, !ErrorLabels.looksLikeCode(labels.code) || counters.count >= ErrorLabels.maxCodes {
                labels.code = "other"
            }
            if let counter = counters[labels] { return counter }
            let handler = registry.makeCounter(
                descriptor: Self.name(
                    "restgate_graphql_errors", "total",
                    "GraphQL errors in upstream answers, by the error's extensions.code (none when absent)."),
                labels: labels.pairs)
            let counter = CoreMetrics.Counter(label: "restgate_graphql_errors_total", dimensions: labels.pairs, handler: handler)
            counters[labels] = counter
            return counter
        }
    }
}
