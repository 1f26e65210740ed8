import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan

/// The document's problem pieces and the validator headers of GET answers.
extension OpenAPIGenerator {
    /// `ETag` and `Cache-Control` of a GET answer (200 and 304).
    static let validatorHeaders: [(key: String, value: JSONValue)] = [
        (
            "ETag",
            .object([
                ("description", .string("A strong tag of the body (weak when gzipped); send it back in If-None-Match.")),
                ("schema", .object([("type", .string("string"))])),
            ])
        ),
        (
            "Cache-Control",
            .object([
                ("description", .string("private, no-cache unless the route says otherwise.")),
                ("schema", .object([("type", .string("string"))])),
            ])
        ),
    ]

    /// RFC 9457's members, the gateway's, and the route file's (`members`), each once.
    static func problemSchema(members: [ProblemMember]) -> JSONValue {
        guard case .object(var schema) = genericProblemSchema, let index = schema.firstIndex(where: { $0.key == "properties" }),
            case .object(var properties) = schema[index].value
        else { return genericProblemSchema }
        let errorsAt = properties.firstIndex { $0.key == "errors" } ?? properties.endIndex
        var added: [(key: String, value: JSONValue)] = []
        for member in members
        where !properties.contains(where: { $0.key == member.name }) && !added.contains(where: { $0.key == member.name }) {
            added.append((member.name, member.schema))
        }
        properties.insert(contentsOf: added, at: errorsAt)
        schema[index].value = .object(properties)
        return .object(schema)
    }

    /// One entry of a problem's `errors`, named so that a generated client has one type for it.
    static let problemErrorSchema: JSONValue = .object([
        ("type", .string("object")), ("required", .array([.string("message"), .string("code")])),
        (
            "properties",
            .object([
                ("message", .object([("type", .string("string"))])), ("field", .object([("type", .string("string"))])),
                ("path", .object([("type", .string("string"))])), ("code", .object([("type", .string("string"))])),
            ])
        ),
    ])

    static let genericProblemSchema: JSONValue = .object([
        ("type", .string("object")),
        ("required", .array(["type", "title", "status", "detail", "instance", "code", "requestId"].map(JSONValue.string))),
        (
            "properties",
            .object([
                ("type", .object([("type", .string("string"))])), ("title", .object([("type", .string("string"))])),
                ("status", .object([("type", .string("integer"))])), ("detail", .object([("type", .string("string"))])),
                ("instance", .object([("type", .string("string"))])), ("code", .object([("type", .string("string"))])),
                ("requestId", .object([("type", .string("string"))])),
                (
                    "errors",
                    .object([
                        ("type", .string("array")), ("maxItems", .number("100")),
                        (
                            "items", .object([("$ref", .string("#/components/schemas/ProblemError"))])
                        ),
                    ])
                ),
                (
                    "errorsOmitted",
                    .object([
                        ("type", .string("integer")), ("minimum", .number("1")),
                        ("description", .string("How many more errors there were than the at most 100 listed.")),
                    ])
                ),
            ])
        ),
    ])

    static let problemResponses: [(key: String, description: String)] = [
        ("Problem400", "Invalid request: one entry in errors per problem."),
        ("Problem401", "No or malformed token, or the upstream refused it."),
        ("Problem403", "The upstream refused access."), ("Problem404", "No such route or resource."),
        ("Problem409", "The first request with this Idempotency-Key is still running, or its outcome is unknown."),
        ("Problem405", "The path does not take this method."), ("Problem406", "Not acceptable."),
        ("Problem413", "The body is too large."), ("Problem414", "The request target is too long."),
        ("Problem415", "The body is not JSON."), ("Problem431", "The header section is too large."),
        ("Problem422", "The upstream refused the operation."), ("Problem429", "Too many requests: a quota or limit is spent."),
        ("Problem500", "Internal error."), ("Problem502", "The upstream is unavailable or answered badly."),
        ("Problem503", "Draining or over capacity."), ("Problem504", "The upstream did not answer in time."),
    ]

    static func problemResponse(_ key: String, _ description: String, codes: [ProblemCode]) -> JSONValue {
        let status = Int(key.dropFirst("Problem".count)) ?? 500
        let code = codes.first { $0.status == status } ?? .internalError
        let example = Problem(code, detail: description).response(
            requestID: "6f1c2a4e-8d0b-4c1e-9a55-3b7d2f0e9c11", instance: "/invitations")
        let media: [(key: String, value: JSONValue)] = [
            ("schema", .object([("$ref", .string("#/components/schemas/Problem"))])),
            ("example", (try? JSONParser.parse(example.body)) ?? .null),
        ]
        return .object([("description", .string(description)), ("content", .object([("application/problem+json", .object(media))]))])
    }

}
