import CoreMetrics
import Synchronization

/// One event loop's share of the request-path metrics: its requests in flight and the series
/// it has used, so recording takes no lock and touches no cache line another loop writes.
/// `@unchecked Sendable`: the dictionaries are used on the loop only; the scraper reads
/// `active`, an atomic.
final class LoopMetrics: @unchecked Sendable {
    let active = Atomic<Int>(0)
    var requestTimers: [RequestLabels: CoreMetrics.Timer] = [:]
    var upstreamTimers: [UpstreamLabels: CoreMetrics.Timer] = [:]

    /// The loop's `LoopMetrics` for each `GatewayMetrics` (tests run several in one process).
    final class Table {
        var byOwner: [ObjectIdentifier: LoopMetrics] = [:]
    }
}
