import OrderedCollections
import RestgateJSON

/// The response schemas as named components: every object made from a GraphQL type becomes
/// `#/components/schemas/<Type>`, used by `$ref` wherever a route returns it, so that a client
/// generated from the document has one class per type. The same type selected differently is
/// a second, named variant (`<Type>Ref`, then `<Type>2`, …), never an anonymous one; a list
/// answer is `<Item>Page`.
struct OutputComponents {
    private(set) var schemas: OrderedDictionary<String, JSONValue> = [:]

    /// `schema` with each marked object (`x-graphql-type`, `x-restgate-page`) replaced by a
    /// reference to its component, innermost first.
    mutating func named(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        for index in members.indices {
            switch members[index].key {
            case "properties":
                if case .object(let properties) = members[index].value {
                    members[index].value = .object(properties.map { ($0.key, named($0.value)) })
                }
            case "items":
                members[index].value = named(members[index].value)
            case "allOf":
                members[index].value = .array((members[index].value.array ?? []).map { named($0) })
            default:
                break
            }
        }
        let typeName = members.first { $0.key == "x-graphql-type" }?.value.string
        let isPage = members.contains { $0.key == "x-restgate-page" }
        guard typeName != nil || isPage else { return .object(members) }
        let nullable = members.contains { $0.key == "nullable" && $0.value == .bool(true) }
        let body = JSONValue.object(members.filter { !["x-graphql-type", "x-restgate-page", "nullable"].contains($0.key) })
        let base = isPage ? (Self.referenced(body["properties"]?["items"]?["items"]) ?? "Item") + "Page" : typeName ?? "Object"
        let reference = JSONValue.object([("$ref", .string("#/components/schemas/" + register(base, body)))])
        // OpenAPI 3.0 ignores siblings of $ref: a nullable reference needs allOf.
        return nullable ? .object([("allOf", .array([reference])), ("nullable", .bool(true))]) : reference
    }

    /// The component's name: `base` when it is free or holds the same schema, else the first
    /// free variant.
    private mutating func register(_ base: String, _ schema: JSONValue) -> String {
        var variant = 0
        while true {
            let name = variant == 0 ? base : variant == 1 ? base + "Ref" : base + String(variant)
            guard let existing = schemas[name] else {
                schemas[name] = schema
                return name
            }
            if existing == schema { return name }
            variant += 1
        }
    }

    /// The component a `$ref` (perhaps inside `allOf`) names.
    private static func referenced(_ schema: JSONValue?) -> String? {
        if let inner = schema?["allOf"]?.array?.first { return referenced(inner) }
        return schema?["$ref"]?.string.map { String($0.split(separator: "/").last ?? "") }
    }
}
