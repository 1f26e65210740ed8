public import RestgateHTTP
import RestgateRuntime
public import RestgateServer

/// The request pipeline's metrics stage, outermost: counts the request in flight and records
/// its duration under the labels the inner stages noted (route template, problem code).
public struct MetricsStage: RequestStage {
    public let metrics: GatewayMetrics

    public init(metrics: GatewayMetrics) {
        self.metrics = metrics
    }

    public func respond(to request: HTTPRequest, next: RequestChain) async -> HTTPResponse {
        let started = Instant.now()
        // The loop's share is found once; the task keeps to its loop (its executor
        // preference), and should it have moved, the share of the loop it is on counts.
        let loop = EventLoop.current
        let local = metrics.local()
        metrics.requestStarted(local: local)
        let response = await next(request)
        metrics.requestEnded(
            local: EventLoop.current === loop ? local : metrics.local(), route: response.notes.route, method: request.method,
            status: response.status, problemCode: response.notes.problemCode,
            duration: Instant.now().duration(since: started))
        return response
    }
}
