public import RestgateHTTP

/// One step of the request pipeline with one job (compression, metrics, tracing, …). It
/// sees the request on its way in and the response on its way out, and either calls `next`
/// or answers itself. Stages run in the order the pipeline lists them (`RequestPipeline`).
public protocol RequestStage: Sendable {
    func respond(to request: HTTPRequest, next: RequestChain) async -> HTTPResponse
}
