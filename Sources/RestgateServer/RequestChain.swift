public import RestgateHTTP

/// The rest of a pipeline, from one stage on: calling it runs the next stage, or the
/// endpoint once every stage has run.
public struct RequestChain: Sendable {
    private let stages: ArraySlice<any RequestStage>
    private let endpoint: any HTTPResponder

    init(stages: ArraySlice<any RequestStage>, endpoint: any HTTPResponder) {
        self.stages = stages
        self.endpoint = endpoint
    }

    public func callAsFunction(_ request: HTTPRequest) async -> HTTPResponse {
        guard let stage = stages.first else { return await endpoint.respond(to: request) }
        return await stage.respond(to: request, next: RequestChain(stages: stages.dropFirst(), endpoint: endpoint))
    }
}
