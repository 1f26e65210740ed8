import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime
package import Synchronization

/// Counters the tests and operators read: connections accepted, open and refused.
public final class ServerStatistics: Sendable {
    package let accepted = Atomic<Int>(0)
    let open = Atomic<Int>(0)
    package let refused = Atomic<Int>(0)
    package let requests = Atomic<Int>(0)
    package let ignoredForwarding = Atomic<Int>(0)
    /// Answer bytes queued on every connection and not yet taken by the kernel.
    package let bufferedResponseBytes = Atomic<Int>(0)
    package let overloaded = Atomic<Int>(0)
    /// Large request bodies held, and how often one had to wait for room.
    package let bufferedRequestBytes = Atomic<Int>(0)
    package let bodyWaits = Atomic<Int>(0)
    /// Request workers parked on every loop, waiting for the next request.
    package let parked = Atomic<Int>(0)

    public init() {}

    public var acceptedConnections: Int { accepted.load(ordering: .relaxed) }
    public var openConnections: Int { open.load(ordering: .relaxed) }
    public var refusedConnections: Int { refused.load(ordering: .relaxed) }
    public var requestsServed: Int { requests.load(ordering: .relaxed) }
    /// Requests whose forwarding headers came from a trusted proxy but could not be read.
    public var ignoredForwardingHeaders: Int { ignoredForwarding.load(ordering: .relaxed) }
    public var bufferedResponses: Int { bufferedResponseBytes.load(ordering: .relaxed) }
    /// Requests refused with 503 because `maxBufferedResponseBytes` was reached.
    public var overloadedRequests: Int { overloaded.load(ordering: .relaxed) }
    public var bufferedRequests: Int { bufferedRequestBytes.load(ordering: .relaxed) }
    public var requestsThatWaitedForBodyRoom: Int { bodyWaits.load(ordering: .relaxed) }
    public var parkedWorkers: Int { parked.load(ordering: .relaxed) }
}
