import RestgateGzip
public import RestgateHTTP
import RestgateJSON
public import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Everything the server can be told; the defaults are the ones the README documents.
public struct HTTPServerConfiguration: Sendable {
    public var host = "0.0.0.0"
    public var port: UInt16 = 8080
    /// Event-loop threads; one per core by default.
    public var threads = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    public var backlog: Int32 = 4096
    public var maxConnections = 16384
    public var head = RequestHeadLimits()
    public var maxBodyBytes = 1 << 20
    /// The whole header section must arrive within this time of its first byte (slowloris).
    public var headerTimeout: Duration = .seconds(10)
    /// An idle keep-alive connection, or a stalled body, is closed after this.
    public var idleTimeout: Duration = .seconds(60)
    /// A client that takes none of its answer for this long is closed: an answer nobody
    /// reads must not hold memory for ever.
    public var sendTimeout: Duration = .seconds(30)
    /// Answers queued on all connections together and not yet taken by the kernel; past this,
    /// new requests are refused with 503 instead of costing more memory.
    public var maxBufferedResponseBytes = 256 << 20
    /// Request bodies over `largeBodyBytes` held at once on all connections together (split
    /// evenly between the loops); past it, such a body waits unread in the kernel until one
    /// is done. Smaller bodies never wait.
    public var maxBufferedRequestBytes = 32 << 20
    /// Bodies larger than this count against `maxBufferedRequestBytes`, and their requests
    /// are handled off the event loops, so that a flood of the largest requests cannot hold
    /// up the loops' other connections.
    public var largeBodyBytes = 65536
    /// A request body must arrive whole within this time of its head, however it trickles.
    public var bodyTimeout: Duration = .seconds(60)
    /// How long a drain waits for requests in flight before closing what is left.
    public var drainTimeout: Duration = .seconds(25)
    /// The time every deadline of the server is measured on; tests pass a `ManualClock`.
    public var clock: any MonotonicClock = SystemClock()
    /// Bodies from this size on are gzip-compressed when the client accepts gzip.
    public var gzipMinimumBytes = 256
    /// zlib level 1 to 9; 1 is the cheapest and already shrinks JSON several times.
    public var gzipLevel: Int32 = 1
    /// Peers whose X-Forwarded-* and Forwarded headers are believed (the reverse proxies).
    public var trustedProxies: [AddressRange] = []
    /// The one family of forwarding headers believed from them.
    public var forwardedHeaders = ForwardedHeaderFamily.xForwarded
    /// The `Retry-After` seconds sent with 503 when over capacity or draining.
    public var retryAfterSeconds = 5

    public init() {}

    package var chunkedLimits: ChunkedBodyLimits {
        ChunkedBodyLimits(maxBodyBytes: maxBodyBytes, maxTrailerBytes: head.maxHeaderBytes, maxTrailerCount: head.maxHeaderCount)
    }
}
