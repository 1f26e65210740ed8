import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Counters for tests, `/readyz` and `/metrics`: connections opened, calls retried, TLS
/// handshakes and resumptions.
public final class UpstreamStatistics: Sendable {
    private let opened = Atomic<Int>(0)
    private let retried = Atomic<Int>(0)
    private let resumed = Atomic<Int>(0)
    private let handshakes = Atomic<Int>(0)

    public var connectionsOpened: Int { opened.load(ordering: .relaxed) }
    public var retries: Int { retried.load(ordering: .relaxed) }
    /// TLS handshakes that resumed an earlier session.
    public var tlsResumptions: Int { resumed.load(ordering: .relaxed) }
    /// TLS handshakes completed, resumed or full.
    public var tlsHandshakes: Int { handshakes.load(ordering: .relaxed) }

    package func recordConnectionOpened() { opened.add(1, ordering: .relaxed) }
    package func recordRetry() { retried.add(1, ordering: .relaxed) }
    package func recordTLSResumption() { resumed.add(1, ordering: .relaxed) }
    package func recordTLSHandshake() { handshakes.add(1, ordering: .relaxed) }
}
