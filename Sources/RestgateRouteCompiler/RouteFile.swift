public import RestgateJSON
public import RestgateRoutePlan

/// A route file as read, before validation against the schemas: its routes, its error rules,
/// the problem codes it declares and what its OpenAPI document says about the API.
public struct RouteFile: Sendable {
    public var routes: [RouteDefinition]
    public var errorRules: [ErrorRule]
    public var problems: [ProblemCode]
    public var info: APIInfo
}
