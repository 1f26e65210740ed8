import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// Limits and timeouts of an upstream client.
public struct UpstreamConfiguration: Sendable {
    /// Most connections to one upstream per event loop; more calls wait for one to free.
    public var maxConnectionsPerLoop = 64
    public var connectTimeout: Duration = .seconds(2)
    /// A whole answer must arrive within this time of the call, waiting for a connection included.
    public var requestTimeout: Duration = .seconds(15)
    /// A pooled connection unused for this long is closed instead of reused.
    public var idleTimeout: Duration = .seconds(30)
    /// The largest answer body accepted, after gzip inflation.
    public var maxResponseBytes = 8 << 20

    public init() {}
}
