public import RestgateHTTP
import RestgateRuntime
public import RestgateServer

/// The request pipeline's tracing stage: continues or starts the request's trace, hands the
/// inner stages its context (the upstream call continues it), and records the SERVER span;
/// the answer notes the ids for the access log.
public struct TracingStage: RequestStage {
    public let tracer: Tracer

    public init(tracer: Tracer) {
        self.tracer = tracer
    }

    public func respond(to request: HTTPRequest, next: RequestChain) async -> HTTPResponse {
        let started = WallClock.nanosecondsSinceEpoch()
        let trace = tracer.startTrace(for: request)
        request.trace = trace
        var response = await next(request)
        if trace.isRecorded {
            response.notes.traceID = trace.server.traceIDHex
            response.notes.spanID = trace.server.spanIDHex
        }
        tracer.finish(trace, request: request, response: response, started: started)
        return response
    }
}
