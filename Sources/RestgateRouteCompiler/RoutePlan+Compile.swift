import RestgateHTTP
import RestgateJSON
public import RestgateRoutePlan

extension OpenAPIDocument {
    public var text: OpenAPIText { OpenAPIText(json: jsonBytes, yaml: Array(yaml.utf8)) }
}

extension RoutePlan {
    /// Validates the routes against the upstream schemas and renders the OpenAPI document.
    public static func make(_ input: Input) -> Outcome {
        do {
            let validator = try RouteValidator(overrides: input.schemaOverrides)
            if input.everyProblem == true {
                let upstreams = Dictionary(
                    ((try? RouteFileLoader.load(yaml: input.routesYAML)) ?? []).map { ($0.id, $0.upstream) },
                    uniquingKeysWith: { a, _ in a })
                return .problems(
                    validator.problems(yaml: input.routesYAML).map { problem in
                        Problem(
                            route: problem.route, upstream: problem.route.flatMap { upstreams[$0] }, line: problem.line,
                            message: problem.message)
                    })
            }
            let (routes, info) = try validator.compileFile(yaml: input.routesYAML)
            let document = OpenAPIDocument(routes: routes, validator: validator, info: info)
            let plan = RoutePlan(
                routes: routes, openAPIJSON: String(decoding: document.jsonBytes, as: UTF8.self), openAPIYAML: document.yaml)
            return .plan(plan)
        } catch {
            return .failure("\(error)")
        }
    }
}
