import Foundation
import RestgateHTTP
import RestgateJSON

/// Everything the server needs from the route file, worked out once: the validated routes
/// with their body shapes and error rules, and the OpenAPI document as served.
///
/// Making it parses YAML (Yams) and validates GraphQL (GraphQLSwift), a few megabytes of code
/// that serving never runs. `restgate` makes it in a short-lived helper process and serves
/// from the decoded plan, so that code is never mapped into the serving process and does not
/// count towards its peak RSS (bench/RESULTS.md).
public struct RoutePlan: Sendable, Codable {
    public init(routes: [CompiledRoute], openAPIJSON: String, openAPIYAML: String) {
        self.routes = routes
        self.openAPIJSON = openAPIJSON
        self.openAPIYAML = openAPIYAML
    }

    public var routes: [CompiledRoute]
    public var openAPIJSON: String
    public var openAPIYAML: String

    public var openAPI: OpenAPIText { OpenAPIText(json: Array(openAPIJSON.utf8), yaml: Array(openAPIYAML.utf8)) }

    /// What the plan is made from: the route file's text and the schema overrides (SDL by
    /// upstream name).
    public struct Input: Sendable, Codable {
        public var routesYAML: String
        public var schemaOverrides: [String: String]
        /// Every route's problem instead of a plan (`.problems`): the schema drift check.
        public var everyProblem: Bool?

        public init(routesYAML: String, schemaOverrides: [String: String] = [:], everyProblem: Bool? = nil) {
            self.routesYAML = routesYAML
            self.schemaOverrides = schemaOverrides
            self.everyProblem = everyProblem
        }
    }

    /// A helper's answer: the plan, or why the routes cannot be used, or (for `everyProblem`)
    /// each route's problem, none when every route fits.
    public enum Outcome: Sendable, Codable {
        case plan(RoutePlan)
        case failure(String)
        case problems([Problem])
    }

    /// A route that does not fit its upstream's schema.
    public struct Problem: Sendable, Codable, Equatable {
        public var route: String?
        public var upstream: String?
        public var line: Int
        public var message: String

        public init(route: String?, upstream: String?, line: Int, message: String) {
            self.route = route
            self.upstream = upstream
            self.line = line
            self.message = message
        }
    }

    /// The wire form between the helper and the server: JSON.
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Every member is a String, number, array or object built here: encoding cannot fail.
        return (try? Array(encoder.encode(value))) ?? []
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
