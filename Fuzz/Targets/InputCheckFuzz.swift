import RestgateConfiguration

@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// A request body against every built-in route's input shapes: at most 100 problems, each
// with a pointer, and a problem answer that stays under 64 KiB.

private let routes: [CompiledRoute] = {
    do {
        return try RouteValidator().compile(yaml: BuiltInConfiguration.routesYAML)
    } catch {
        preconditionFailure("the built-in routes do not compile: \(error)")
    }
}()

func fuzzInputCheck(_ input: UnsafeBufferPointer<UInt8>) {
    guard let body = try? JSONParser.parse(Array(input)) else { return }
    for route in routes {
        for (name, source) in route.definition.variables {
            guard case .body(let merge) = source, let shape = route.variableShapes[name] else { continue }
            var checker = InputChecker()
            checker.check(body, against: shape, in: route.shapes, excluding: Set(merge.keys))
            precondition(checker.problems.count <= InputChecker.maxProblems)
            // A pointer, read as bytes (a `/` and a combining mark are one Character).
            let isPointer = { (problem: ProblemError) in problem.field.map { $0.isEmpty || $0.utf8.first == UInt8(ascii: "/") } ?? false }
            precondition(
                checker.problems.allSatisfy(isPointer), "a problem without a pointer: \(checker.problems.filter { !isPointer($0) })")
            let problem = Problem(.internalError, detail: "fuzz", errors: checker.problems)
            precondition(problem.response(requestID: "r", instance: "/x").body.count <= Problem.maxBodyBytes)
        }
    }
}
