import RestgateHTTP
import RestgateRuntime
import RestgateServer
public import RestgateUpstream

/// Decides which requests are traced, makes their spans and hands them to the exporter:
/// the SERVER span through `TracingStage`, the CLIENT span of the upstream call as a
/// `GraphQLCallObserver`.
public final class Tracer: Sendable {
    public let exporter: SpanExporter
    public let sampler: Sampler

    public init(exporter: SpanExporter) {
        self.exporter = exporter
        self.sampler = exporter.configuration.sampler
    }

    /// The request's trace: the caller's when its `traceparent` is valid, else a new one.
    func startTrace(for request: HTTPRequest) -> RequestTrace {
        let headers = request.headers
        let states = headers.values("tracestate")
        let state = states.isEmpty ? nil : states.joined(separator: ",")
        // Two traceparent fields are as good as none (the specification: ignore it).
        let parents = headers.values("traceparent")
        let parent = parents.count == 1 ? TraceContext(traceparent: parents[0], traceState: state) : nil
        let ids = Self.ids()
        let high = parent?.traceIDHigh ?? ids.next()
        let low = parent?.traceIDLow ?? ids.next()
        let sampled = sampler.samples(traceIDLow: low, parent: parent)
        let server = TraceContext(traceIDHigh: high, traceIDLow: low, spanID: ids.next(), sampled: sampled, traceState: parent?.traceState)
        return RequestTrace(server: server, parentSpanID: parent?.spanID, client: server.child(spanID: ids.next()))
    }

    func finish(_ trace: RequestTrace, request: HTTPRequest, response: HTTPResponse, started: UInt64) {
        guard trace.isRecorded else { return }
        var attributes: [(key: String, value: SpanRecord.Value)] = [
            ("http.request.method", .string(request.method.rawValue)), ("url.path", .string(request.path)),
            ("http.response.status_code", .int(Int64(response.status))), ("client.address", .string(request.forwarded.clientAddress)),
        ]
        if let route = response.notes.route { attributes.append(("http.route", .string(route))) }
        if let code = response.notes.problemCode { attributes.append(("restgate.problem.code", .string(code))) }
        let failed = response.status >= 500
        if failed { attributes.append(("error.type", .string(String(response.status)))) }
        let name = response.notes.route.map { "\(request.method.rawValue) \($0)" } ?? request.method.rawValue
        exporter.submit(
            SpanRecord(
                traceIDHigh: trace.server.traceIDHigh, traceIDLow: trace.server.traceIDLow, spanID: trace.server.spanID,
                parentSpanID: trace.parentSpanID, traceState: trace.server.traceState, name: name, kind: .server,
                startUnixNanoseconds: started, endUnixNanoseconds: WallClock.nanosecondsSinceEpoch(), attributes: attributes,
                status: failed ? .error : .unset))
    }

    private static func ids() -> SpanIDGenerator {
        if let loop = EventLoop.current { return loop.local(SpanIDGenerator.self) { SpanIDGenerator() } }
        return SpanIDGenerator()
    }
}

extension Tracer: GraphQLCallObserver {
    public func observe(_ record: GraphQLCallRecord) {
        guard let trace = record.trace, trace.isRecorded else { return }
        let type = record.isMutation ? "mutation" : "query"
        var attributes: [(key: String, value: SpanRecord.Value)] = [
            ("graphql.operation.name", .string(record.operationName)), ("graphql.operation.type", .string(type)),
            ("server.address", .string(record.serverAddress)), ("server.port", .int(Int64(record.serverPort))),
            ("restgate.upstream", .string(record.upstream)), ("restgate.upstream.outcome", .string(record.outcome.rawValue)),
        ]
        if let status = record.status { attributes.append(("http.response.status_code", .int(Int64(status)))) }
        if !record.errorCodes.isEmpty { attributes.append(("graphql.error.codes", .strings(record.errorCodes))) }
        let failed = record.outcome != .ok
        if failed { attributes.append(("error.type", .string(record.outcome.rawValue))) }
        let duration = record.duration.components
        let nanoseconds = UInt64(max(0, duration.seconds * 1_000_000_000 + duration.attoseconds / 1_000_000_000))
        exporter.submit(
            SpanRecord(
                traceIDHigh: trace.client.traceIDHigh, traceIDLow: trace.client.traceIDLow, spanID: trace.client.spanID,
                parentSpanID: trace.server.spanID, traceState: trace.client.traceState, name: "\(type) \(record.operationName)",
                kind: .client, startUnixNanoseconds: record.startedUnixNanoseconds,
                endUnixNanoseconds: record.startedUnixNanoseconds + nanoseconds, attributes: attributes, status: failed ? .error : .unset))
    }
}
