public import RestgateHTTP

/// A responder made of ordered stages around an endpoint: the first stage sees the request
/// first and the response last.
public struct RequestPipeline: HTTPResponder {
    public let stages: [any RequestStage]
    private let endpoint: any HTTPResponder

    public init(_ stages: [any RequestStage], endpoint: any HTTPResponder) {
        self.stages = stages
        self.endpoint = endpoint
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        await RequestChain(stages: stages[...], endpoint: endpoint)(request)
    }
}
