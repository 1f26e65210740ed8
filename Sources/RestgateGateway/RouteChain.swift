import RestgateHTTP
import RestgateJSON

/// The rest of a route's stages, then its executor.
struct RouteChain: Sendable {
    private let stages: ArraySlice<any RouteStage>
    private let executor: RouteExecutor

    init(stages: ArraySlice<any RouteStage>, executor: RouteExecutor) {
        self.stages = stages
        self.executor = executor
    }

    func callAsFunction(_ call: RouteCall) async throws(Problem) -> HTTPResponse {
        guard let stage = stages.first else { return try await executor.handle(call) }
        return try await stage.respond(to: call, next: RouteChain(stages: stages.dropFirst(), executor: executor))
    }
}
