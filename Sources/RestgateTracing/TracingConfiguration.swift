public import RestgateUpstream

/// Where and how spans are exported, and which traces are recorded.
public struct TracingConfiguration: Sendable {
    /// The collector's traces URL (`…/v1/traces`).
    public var endpoint: UpstreamURL
    public var encoding: OTLPEncoding = .protobuf
    /// Extra request headers for the collector (`OTEL_EXPORTER_OTLP_HEADERS`), such as a key.
    public var headers: [(name: String, value: String)] = []
    public var sampler: Sampler = .parentBasedTraceIDRatio(1)
    /// `service.name` first, then the other resource attributes.
    public var resource: [(key: String, value: String)]
    public var version: String
    /// Spans waiting for export beyond this are dropped and counted.
    public var queueLimit = 2048
    /// A batch is sent when this many spans wait, or `interval` after the last one.
    public var batchSize = 512
    public var interval: Duration = .seconds(5)
    public var exportTimeout: Duration = .seconds(10)

    public init(endpoint: UpstreamURL, resource: [(key: String, value: String)], version: String) {
        self.endpoint = endpoint
        self.resource = resource
        self.version = version
    }
}
