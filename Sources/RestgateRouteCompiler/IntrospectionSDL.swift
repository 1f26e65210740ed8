public import RestgateJSON

/// A schema as SDL from the answer to the standard introspection query: what `restgate schema
/// pull` writes and `--schema-source NAME=introspect` validates the routes against. GraphQLSwift
/// prints SDL but cannot build a schema from introspection, so the types are written here.
public enum IntrospectionSDL {
    /// The introspection query (types, fields, arguments, input fields, enum values, deprecations).
    public static let query = """
        query RestgateIntrospection { __schema { queryType { name } mutationType { name } subscriptionType { name } \
        types { ...FullType } } } \
        fragment FullType on __Type { kind name description \
        fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } \
        inputFields { ...InputValue } interfaces { ...TypeRef } \
        enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } } \
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue } \
        fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name \
        ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
        """

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private static let builtInScalars: Set<String> = ["String", "Int", "Float", "Boolean", "ID"]

    /// `answer`: the whole GraphQL response (`{"data": {"__schema": …}}`).
    public static func sdl(from answer: JSONValue) throws(Failure) -> String {
        guard let schema = answer["data"]?["__schema"], let types = schema["types"]?.array else {
            let message = answer["errors"]?.array?.first?["message"]?.string
            throw Failure(description: message.map { "introspection refused: \($0)" } ?? "the answer holds no data.__schema")
        }
        var out = "schema {\n"
        for (role, key) in [("query", "queryType"), ("mutation", "mutationType"), ("subscription", "subscriptionType")] {
            if let name = schema[key]?["name"]?.string { out += "  \(role): \(name)\n" }
        }
        out += "}\n"
        let named = types.compactMap { type -> (String, JSONValue)? in
            guard let name = type["name"]?.string, !name.hasPrefix("__"), !builtInScalars.contains(name) else { return nil }
            return (name, type)
        }
        for (name, type) in named.sorted(by: { $0.0 < $1.0 }) {
            out += "\n" + description(type["description"], indent: "")
            switch type["kind"]?.string {
            case "SCALAR":
                out += "scalar \(name)\n"
            case "OBJECT", "INTERFACE":
                let keyword = type["kind"]?.string == "OBJECT" ? "type" : "interface"
                let interfaces = (type["interfaces"]?.array ?? []).compactMap { $0["name"]?.string }
                out += "\(keyword) \(name)\(interfaces.isEmpty ? "" : " implements " + interfaces.joined(separator: " & ")) {\n"
                for field in type["fields"]?.array ?? [] { out += try self.field(field) }
                out += "}\n"
            case "UNION":
                let members = (type["possibleTypes"]?.array ?? []).compactMap { $0["name"]?.string }
                out += "union \(name) = \(members.joined(separator: " | "))\n"
            case "ENUM":
                out += "enum \(name) {\n"
                for value in type["enumValues"]?.array ?? [] {
                    guard let valueName = value["name"]?.string else { continue }
                    out += description(value["description"], indent: "  ") + "  \(valueName)\(deprecation(value))\n"
                }
                out += "}\n"
            case "INPUT_OBJECT":
                out += "input \(name) {\n"
                for field in type["inputFields"]?.array ?? [] { out += "  " + (try inputValue(field)) + "\n" }
                out += "}\n"
            default:
                throw Failure(description: "type \(name) has an unknown kind")
            }
        }
        return out
    }

    private static func field(_ field: JSONValue) throws(Failure) -> String {
        guard let name = field["name"]?.string else { throw Failure(description: "a field without a name") }
        var arguments: [String] = []
        for argument in field["args"]?.array ?? [] { arguments.append(try inputValue(argument)) }
        let list = arguments.isEmpty ? "" : "(" + arguments.joined(separator: ", ") + ")"
        return description(field["description"], indent: "  ") + "  \(name)\(list): \(try reference(field["type"]))\(deprecation(field))\n"
    }

    private static func inputValue(_ value: JSONValue) throws(Failure) -> String {
        guard let name = value["name"]?.string else { throw Failure(description: "an argument without a name") }
        let defaultValue = value["defaultValue"]?.string.map { " = \($0)" } ?? ""
        return "\(name): \(try reference(value["type"]))\(defaultValue)"
    }

    /// `[Type!]!` from the nested `ofType` chain.
    private static func reference(_ type: JSONValue?) throws(Failure) -> String {
        guard let type, let kind = type["kind"]?.string else { throw Failure(description: "a type reference without a kind") }
        switch kind {
        case "NON_NULL": return try reference(type["ofType"]) + "!"
        case "LIST": return "[" + (try reference(type["ofType"])) + "]"
        default:
            guard let name = type["name"]?.string else { throw Failure(description: "a named type reference without a name") }
            return name
        }
    }

    private static func deprecation(_ value: JSONValue) -> String {
        guard value["isDeprecated"] == .bool(true) else { return "" }
        guard let reason = value["deprecationReason"]?.string else { return " @deprecated" }
        return " @deprecated(reason: \(quoted(reason)))"
    }

    private static func description(_ value: JSONValue?, indent: String) -> String {
        guard let text = value?.string, !text.isEmpty else { return "" }
        return indent + quoted(text) + "\n"
    }

    /// A GraphQL string literal: its escapes are JSON's.
    private static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
