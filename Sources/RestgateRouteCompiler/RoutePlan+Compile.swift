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
