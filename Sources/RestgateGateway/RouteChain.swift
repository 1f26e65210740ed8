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

    /// The rest of the chain, with `headers` added to whatever it answers, a problem too.
    func callAsFunction(_ call: RouteCall, adding headers: [(name: String, value: String)]) async throws(Problem) -> HTTPResponse {
        do {
            var response = try await self(call)
            response.headers.append(contentsOf: headers)
            return response
        } catch {
            var problem = error
            problem.headers.append(contentsOf: headers)
            throw problem
        }
    }

    func callAsFunction(_ call: RouteCall) async throws(Problem) -> HTTPResponse {
        guard let stage = stages.first else { return try await executor.handle(call) }
        return try await stage.respond(to: call, next: RouteChain(stages: stages.dropFirst(), executor: executor))
    }
}
