import GraphQL
import OrderedCollections
import RestgateHTTP
public import RestgateJSON
public import RestgateRoutePlan
import Yams

/// The OpenAPI 3.0.3 description of the REST routes, generated from the route file and the
/// upstream schemas, so it can never drift from what the gateway does: request bodies come
/// from the GraphQL input types, responses from each document's selection.
public struct OpenAPIDocument: Sendable {
    public let json: JSONValue

    public init(routes: [CompiledRoute], validator: RouteValidator, info: APIInfo = .generic) {
        var generator = OpenAPIGenerator(validator: validator, info: info)
        json = generator.document(routes)
    }

    /// The document of a whole route file: its routes, error rules, problem codes and `info`.
    public init(routeFile yaml: String, validator: RouteValidator) throws(RouteFileError) {
        let (routes, info) = try validator.compileFile(yaml: yaml)
        self.init(routes: routes, validator: validator, info: info)
    }

    public var jsonBytes: [UInt8] { json.bytes }

    /// The same document as YAML, for people and for generators that prefer it.
    public var yaml: String {
        (try? Yams.serialize(node: Self.node(json), width: -1, allowUnicode: true, sortKeys: false)) ?? ""
    }

    private static func node(_ value: JSONValue) -> Yams.Node {
        switch value {
        case .null: return Yams.Node("null", Tag(.null))
        case .bool(let flag): return Yams.Node(flag ? "true" : "false", Tag(.bool))
        case .number(let text): return Yams.Node(text, Tag(.int), .plain)
        case .string(let text): return Yams.Node(text, Tag(.str), .doubleQuoted)
        case .array(let items): return Yams.Node(items.map { node($0) })
        case .object(let members):
            let pairs: [(Yams.Node, Yams.Node)] = members.map { member in
                (Yams.Node(member.key, Tag(.str), member.key.allSatisfy(\.isNumber) ? .doubleQuoted : .plain), node(member.value))
            }
            return Yams.Node(pairs)
        }
    }
}
