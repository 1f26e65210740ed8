import GraphQL
import OrderedCollections
import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import Yams

struct OpenAPIGenerator {
    let validator: RouteValidator
    let info: APIInfo
    var inputSchemas: OrderedDictionary<String, JSONValue> = [:]
    var outputComponents = OutputComponents()
    /// The gateway's codes, then those of the route file that its error rules answer with.
    var codes: [ProblemCode] = []

    init(validator: RouteValidator, info: APIInfo) {
        self.validator = validator
        self.info = info
    }

    mutating func document(_ routes: [CompiledRoute]) -> JSONValue {
        var paths: OrderedDictionary<String, [(key: String, value: JSONValue)]> = [:]
        for route in routes {
            paths[route.definition.path, default: []].append((route.definition.method.rawValue.lowercased(), operation(route)))
        }
        codes = ProblemCode.all(answeredBy: routes)
        var schemas: [(key: String, value: JSONValue)] = [
            ("Problem", Self.problemSchema(members: codes.flatMap(\.members))), ("ProblemError", Self.problemErrorSchema),
        ]
        for (name, schema) in inputSchemas.sorted(by: { $0.key < $1.key }) { schemas.append((name, schema)) }
        for (name, schema) in outputComponents.schemas.sorted(by: { $0.key < $1.key }) { schemas.append((name, schema)) }
        return .object([
            ("openapi", .string("3.0.3")),
            (
                "info",
                .object([
                    ("title", .string(info.title)), ("version", .string(info.version)), ("description", .string(info.description)),
                ])
            ),
            ("paths", .object(paths.map { ($0.key, .object($0.value)) })),
            (
                "components",
                .object([
                    ("schemas", .object(schemas)),
                    (
                        "responses",
                        .object(Self.problemResponses.map { ($0.key, Self.problemResponse($0.key, $0.description, codes: codes)) })
                    ),
                    (
                        "securitySchemes",
                        .object([
                            (
                                "bearer",
                                .object([("type", .string("http")), ("scheme", .string("bearer")), ("bearerFormat", .string("JWT"))])
                            )
                        ])
                    ),
                ])
            ),
        ])
    }

    // MARK: Operations

    private mutating func operation(_ route: CompiledRoute) -> JSONValue {
        let definition = route.definition
        var members: [(key: String, value: JSONValue)] = [
            ("operationId", .string(definition.id)), ("tags", .array([.string(definition.upstream)])),
            ("summary", .string("\(definition.method.rawValue) \(definition.path) → \(definition.result[0]) (\(definition.upstream))")),
        ]
        var parameters: [JSONValue] = []
        for name in RouteFileLoader.templateParameters(definition.path).sorted() {
            let format = Self.pathFormat(definition.variables.values, name) ?? .string
            parameters.append(Self.parameter(name, in: "path", required: true, schema: Self.formatSchema(format)))
        }
        for (name, format) in Self.queryParameters(definition.variables.values) {
            parameters.append(Self.parameter(name, in: "query", required: false, schema: Self.formatSchema(format)))
        }
        if let list = definition.list {
            if list.pageSizeVariable != nil {
                parameters.append(
                    Self.parameter(
                        "limit", in: "query", required: false,
                        schema: .object([
                            ("type", .string("integer")), ("minimum", .number("1")), ("maximum", .number("100")),
                            ("default", .number("50")),
                        ])))
            }
            parameters.append(
                Self.parameter(
                    "cursor", in: "query", required: false, schema: .object([("type", .string("string")), ("minLength", .number("1"))])))
        }
        if definition.idempotency != .off, definition.method != .get {
            // A bare token or an RFC 8941 string ("…" with \" and \\), at most 255 characters in all.
            let key: JSONValue = .object([
                ("type", .string("string")), ("minLength", .number("1")), ("maxLength", .number("255")),
                ("pattern", .string(#"^(?:[!#-~](?:[ -~]*[!-~])?|"(?:[ !#-\[\]-~]|\\["\\])+")$"#)),
            ])
            parameters.append(Self.parameter("Idempotency-Key", in: "header", required: definition.idempotency == .required, schema: key))
        }
        if definition.method == .get {
            parameters.append(
                Self.parameter("If-None-Match", in: "header", required: false, schema: .object([("type", .string("string"))])))
        }
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let body = requestBody(route) { members.append(("requestBody", body)) }
        if definition.authentication == .bearer { members.append(("security", .array([.object([("bearer", .array([]))])]))) }
        if definition.deprecation != nil { members.append(("deprecated", .bool(true))) }
        members.append(("responses", responses(route)))
        return .object(members)
    }

    private mutating func responses(_ route: CompiledRoute) -> JSONValue {
        let definition = route.definition
        var success: [(key: String, value: JSONValue)] = [("description", .string("Success."))]
        var headers: [(key: String, value: JSONValue)] = []
        if definition.location != nil {
            headers.append(
                ("Location", .object([("description", .string("The new resource.")), ("schema", .object([("type", .string("string"))]))])))
        }
        if definition.list != nil {
            headers.append(
                (
                    "Link",
                    .object([
                        ("description", .string("RFC 8288 link to the next page.")), ("schema", .object([("type", .string("string"))])),
                    ])
                ))
        }
        if definition.method == .get { headers += Self.validatorHeaders }
        if !headers.isEmpty { success.append(("headers", .object(headers))) }
        let inline = resultSchema(route)
        let schema = outputComponents.named(inline)
        success.append(("content", .object([("application/json", .object([("schema", schema), ("example", Self.example(of: inline))]))])))
        var responses: [(key: String, value: JSONValue)] = [(String(definition.status), .object(success))]
        if definition.method == .get {
            responses.append(
                (
                    "304",
                    .object([
                        ("description", .string("Not modified: If-None-Match names the current ETag.")),
                        ("headers", .object(Self.validatorHeaders)),
                    ])
                ))
        }
        // 401 for every route: the token routes get it when the upstream refuses the credentials.
        // 414 and 431 come from the HTTP layer for any operation (an overlong target or header).
        var problems = ["400", "401", "405", "406", "413", "414", "429", "431", "500", "502", "503", "504"]
        if definition.authentication == .bearer { problems.append("403") }
        if definition.single || !RouteFileLoader.templateParameters(definition.path).isEmpty || definition.isMutation {
            problems.append("404")
        }
        if definition.variables.values.contains(where: \.readsBody) { problems.append("415") }
        if definition.isMutation { problems.append("422") }
        if definition.idempotency != .off, definition.method != .get { problems.append("409") }
        for code in problems.sorted() { responses.append((code, .object([("$ref", .string("#/components/responses/Problem\(code)"))]))) }
        return .object(responses)
    }

    // MARK: Requests

    private mutating func requestBody(_ route: CompiledRoute) -> JSONValue? {
        guard let body = route.body else { return nil }
        let schema = inputSchema(body.shape, in: route.shapes, excluding: body.excluded)
        var media: [(key: String, value: JSONValue)] = [("schema", schema)]
        if let example = route.definition.example { media.append(("example", example)) }
        return .object([("required", .bool(true)), ("content", .object([("application/json", .object(media))]))])
    }

    /// The schema of an input shape: the one the body checker walks, so the document and the
    /// check agree on every type and on which members are required.
    private mutating func inputSchema(_ shape: InputShape, in shapes: InputShapes, excluding excluded: Set<String> = []) -> JSONValue {
        switch shape {
        case .nonNull(let inner):
            return inputSchema(inner, in: shapes, excluding: excluded)
        case .list(let inner):
            return .object([("type", .string("array")), ("items", inputSchema(inner, in: shapes)), ("nullable", .bool(true))])
        case .enumeration(_, let values):
            return .object([("type", .string("string")), ("enum", .array(values.map { .string($0) }))])
        case .scalar(let name):
            return Self.scalarSchema(name, nullable: false)
        case .object(let name):
            guard let object = shapes.objects[name] else { return .object([]) }
            guard excluded.isEmpty else {
                // The input type less the members the path fills: named after it, so that a
                // generated client has a class of that name too.
                let body = objectSchema(object, in: shapes, excluding: excluded)
                let base = (name.hasSuffix("Input") ? String(name.dropLast(5)) : name) + "Body"
                var component = base
                var variant = 1
                while let existing = inputSchemas[component], existing != body {
                    variant += 1
                    component = base + String(variant)
                }
                inputSchemas[component] = body
                return .object([("$ref", .string("#/components/schemas/\(component)"))])
            }
            if inputSchemas[name] == nil {
                inputSchemas[name] = .object([])  // placeholder first: input types may refer to themselves
                inputSchemas[name] = objectSchema(object, in: shapes, excluding: [])
            }
            return .object([("$ref", .string("#/components/schemas/\(name)"))])
        }
    }

    private mutating func objectSchema(_ object: InputObjectShape, in shapes: InputShapes, excluding excluded: Set<String>) -> JSONValue {
        var properties: [(key: String, value: JSONValue)] = []
        var required: [JSONValue] = []
        for field in object.fields where !excluded.contains(field.name) {
            var schema = inputSchema(field.shape, in: shapes)
            if !field.shape.isNonNull, case .object(var members) = schema {
                if members.first?.key == "$ref" {
                    // OpenAPI 3.0 ignores siblings of $ref: a nullable reference needs allOf.
                    schema = .object([("allOf", .array([schema])), ("nullable", .bool(true))])
                } else if !members.contains(where: { $0.key == "nullable" }) {
                    members.append(("nullable", .bool(true)))
                    schema = .object(members)
                }
            }
            properties.append((field.name, schema))
            if field.isRequired { required.append(.string(field.name)) }
        }
        var members: [(key: String, value: JSONValue)] = [("type", .string("object")), ("additionalProperties", .bool(false))]
        if !required.isEmpty { members.append(("required", .array(required))) }
        members.append(("properties", .object(properties)))
        return .object(members)
    }

    // MARK: Responses

    private func resultSchema(_ route: CompiledRoute) -> JSONValue {
        let definition = route.definition
        guard let schema = validator.schema(for: definition.upstream),
            let document = try? parse(source: Source(body: definition.document)),
            let operation = document.definitions.compactMap({ $0 as? OperationDefinition }).first,
            let root = operation.operation == .mutation ? schema.mutationType : schema.queryType
        else { return .object([]) }
        let fragments = Dictionary(
            document.definitions.compactMap { $0 as? FragmentDefinition }.map { ($0.name.value, $0) },
            uniquingKeysWith: { first, _ in first })
        var resolver = OutputSchemas(schema: schema, fragments: fragments)
        var current = resolver.schema(of: operation.selectionSet, on: root)
        for key in definition.result { current = Self.member(current, key) }
        if definition.single, case .object(let members) = current, let items = members.first(where: { $0.key == "items" })?.value {
            current = items
        }
        current = Self.nonNullable(current)
        guard let list = definition.list else { return current }
        var items = current
        for key in list.items { items = Self.member(items, key) }
        var envelope: [(key: String, value: JSONValue)] = [
            ("items", Self.nonNullable(items)), ("nextCursor", .object([("type", .string("string")), ("nullable", .bool(true))])),
        ]
        var required: [JSONValue] = [.string("items"), .string("nextCursor")]
        if let path = list.totalCount {
            var total = current
            for key in path { total = Self.member(total, key) }
            envelope.append(("totalCount", total))
            required.append(.string("totalCount"))
        }
        return .object([
            ("type", .string("object")), ("required", .array(required)), ("properties", .object(envelope)),
            ("x-restgate-page", .bool(true)),
        ])
    }

    private static func member(_ schema: JSONValue, _ key: String) -> JSONValue {
        if case .object(let members) = schema {
            if let items = members.first(where: { $0.key == "items" })?.value,
                members.contains(where: { $0.key == "type" && $0.value == .string("array") })
            {
                return member(items, key)
            }
            if let properties = members.first(where: { $0.key == "properties" })?.value, let value = properties[key] { return value }
        }
        return .object([])
    }

    private static func nonNullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(let members) = schema else { return schema }
        return .object(members.filter { $0.key != "nullable" })
    }

    // MARK: Pieces

    private static func pathFormat(_ sources: Dictionary<String, VariableSource>.Values, _ name: String) -> ValueFormat? {
        for source in sources {
            if let format = source.pathFormat(name) { return format }
        }
        return nil
    }

    private static func queryParameters(_ sources: Dictionary<String, VariableSource>.Values) -> [(String, ValueFormat)] {
        var seen = Set<String>()
        var result: [(String, ValueFormat)] = []
        for source in sources {
            for parameter in source.queryParameters where seen.insert(parameter.0).inserted { result.append(parameter) }
        }
        return result.sorted { $0.0 < $1.0 }
    }

    private static func parameter(_ name: String, in location: String, required: Bool, schema: JSONValue) -> JSONValue {
        .object([("name", .string(name)), ("in", .string(location)), ("required", .bool(required)), ("schema", schema)])
    }

    private static func formatSchema(_ format: ValueFormat) -> JSONValue {
        switch format {
        case .string: .object([("type", .string("string")), ("minLength", .number("1"))])
        case .uuid: .object([("type", .string("string")), ("format", .string("uuid"))])
        case .int: .object([("type", .string("integer"))])
        }
    }

    static func scalarSchema(_ name: String, nullable: Bool) -> JSONValue {
        var members: [(key: String, value: JSONValue)]
        switch name {
        case "Int": members = [("type", .string("integer")), ("format", .string("int32"))]
        case "Float": members = [("type", .string("number"))]
        case "Boolean": members = [("type", .string("boolean"))]
        case "UUID": members = [("type", .string("string")), ("format", .string("uuid"))]
        case "DateTime", "Time": members = [("type", .string("string")), ("format", .string("date-time"))]
        default: members = [("type", .string("string"))]
        }
        if nullable { members.append(("nullable", .bool(true))) }
        return .object(members)
    }

    /// A value that fits `schema`, for response examples: a sample per type and format.
    static func example(of schema: JSONValue) -> JSONValue {
        if let all = schema["allOf"]?.array?.first { return example(of: all) }
        switch schema["type"]?.string {
        case "object":
            guard case .object(let properties) = schema["properties"] ?? .object([]) else { return .object([]) }
            return .object(properties.map { ($0.key, example(of: $0.value)) })
        case "array":
            return .array([example(of: schema["items"] ?? .object([]))])
        case "integer": return .number("1")
        case "number": return .number("1.5")
        case "boolean": return .bool(true)
        case "string":
            if let first = schema["enum"]?.array?.first { return first }
            switch schema["format"]?.string {
            case "uuid": return .string("6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01")
            case "date-time": return .string("2026-11-23T09:30:00Z")
            default: return .string("text")
            }
        default: return .null
        }
    }
}
