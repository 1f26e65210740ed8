/// Where one request stands in its trace: its SERVER span, the caller's span it continues
/// (when the caller sent a `traceparent`), and the CLIENT span of its upstream call, whose
/// context the upstream receives.
public struct RequestTrace: Sendable {
    public var server: TraceContext
    public var parentSpanID: UInt64?
    public var client: TraceContext

    public init(server: TraceContext, parentSpanID: UInt64?, client: TraceContext) {
        self.server = server
        self.parentSpanID = parentSpanID
        self.client = client
    }

    /// Whether the spans are recorded and exported (the sampled flag, as decided).
    public var isRecorded: Bool { server.sampled }
}
