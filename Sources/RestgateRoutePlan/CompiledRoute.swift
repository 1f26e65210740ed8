import RestgateHTTP
import RestgateJSON

/// A validated route as the server runs it: its definition, the shapes its variables are
/// checked against, and the route file's error rules. Plain data: the route compiler makes it
/// (GraphQL validation stays behind) and the route plan carries it to the server.
public struct CompiledRoute: Sendable, Codable {
    public var definition: RouteDefinition
    /// The GraphQL input types of the route's variables, flattened for checking bodies.
    package var variableShapes: [String: InputShape]
    package var shapes: InputShapes
    /// The route file's error rules, tried before the built-in mapping.
    public var errorRules: [ErrorRule] = []

    package init(definition: RouteDefinition, variableShapes: [String: InputShape], shapes: InputShapes, errorRules: [ErrorRule] = []) {
        self.definition = definition
        self.variableShapes = variableShapes
        self.shapes = shapes
        self.errorRules = errorRules
    }

    /// The shape the body is checked against and the members the route fills itself, if the
    /// route reads a body.
    package var body: (shape: InputShape, excluded: Set<String>)? {
        shapes.body(of: definition.variables, shapes: variableShapes)
    }
}
