import Foundation
import GraphQL
import OrderedCollections
import RestgateHTTP
import RestgateJSON
import RestgateServer
import Synchronization

/// One GraphQL API of the sandbox: a schema built from the project's SDL with resolvers
/// attached, executed exactly as an upstream would (parse, validate, authorize, execute).
final class GraphQLEndpoint: Sendable {
    let schema: GraphQLSchema
    private let publicFields: Set<String>
    private let audience: String
    private let unauthenticatedCode: String
    private let tokens: TokenIssuer

    init(
        sdl: String, query: [String: GraphQLFieldResolve], mutation: [String: GraphQLFieldResolve], publicFields: Set<String>,
        audience: String, unauthenticatedCode: String, tokens: TokenIssuer
    ) throws {
        schema = try buildSchema(source: sdl)
        Self.attach(query, to: schema.queryType)
        Self.attach(mutation, to: schema.mutationType)
        self.publicFields = publicFields
        self.audience = audience
        self.unauthenticatedCode = unauthenticatedCode
        self.tokens = tokens
    }

    /// Resolvers are attached by wrapping the type's field thunk, which GraphQLSwift allows
    /// during setup (it drops its cached field definitions when the thunk changes).
    private static func attach(_ resolvers: [String: GraphQLFieldResolve], to type: GraphQLObjectType?) {
        guard let type else { return }
        let original = type.fields
        type.fields = {
            let fields = try original()
            for (name, resolve) in resolvers { fields[name]?.resolve = resolve }
            return fields
        }
    }

    private struct Body: Decodable {
        var query: String
        var variables: [String: Map]?
        var operationName: String?
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(request.body))
        } catch {
            return Self.errors(400, [("The body is not a GraphQL request: a JSON object with a string 'query' is required.", "HC0009")])
        }
        let document: Document
        do {
            document = try parse(source: Source(body: body.query, name: "GraphQL request"))
        } catch let error as GraphQLError {
            return Self.errors(400, [(error.message, "GRAPHQL_PARSE_FAILED")])
        } catch {
            return Self.errors(400, [("\(error)", "GRAPHQL_PARSE_FAILED")])
        }
        let problems = validate(schema: schema, ast: document)
        guard problems.isEmpty else {
            return Self.errors(400, problems.map { ($0.message, "GRAPHQL_VALIDATION_FAILED") })
        }
        var subject: String?
        if !Self.rootFields(of: document, operationName: body.operationName).isSubset(of: publicFields) {
            guard let token = Self.bearerToken(request.headers["authorization"]),
                let claims = tokens.verify(token, audience: audience)
            else {
                return Self.errors(200, [("The current user is not authorized to access this resource.", unauthenticatedCode)])
            }
            subject = claims.sub
        }
        let context = SandboxContext(subject: subject)
        do {
            var result = try await graphql(
                schema: schema, request: body.query, context: context, variableValues: body.variables ?? [:],
                operationName: body.operationName)
            result.errors =
                result.errors.map(Self.withCode)
                + context.reported.map { GraphQLError(message: $0.error.message, locations: [], path: IndexPath([$0.field])) }
            return HTTPResponse.json(200, Self.json(result).bytes)
        } catch {
            return Self.errors(500, [("\(error)", "INTERNAL")])
        }
    }

    /// The result as a real GraphQL server writes it: members in selection order (JSONEncoder
    /// would reorder them), `data` before `errors`.
    private static func json(_ result: GraphQLResult) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("data", result.data.map(json) ?? .null)]
        guard !result.errors.isEmpty else { return .object(members) }
        members.append(("errors", .array(result.errors.map(json))))
        return .object(members)
    }

    private static func json(_ error: GraphQLError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("message", .string(error.message))]
        if !error.locations.isEmpty {
            members.append(
                (
                    "locations",
                    .array(error.locations.map { .object([("line", .number(String($0.line))), ("column", .number(String($0.column)))]) })
                ))
        }
        if !error.path.elements.isEmpty {
            members.append(
                (
                    "path",
                    .array(
                        error.path.elements.map { element in
                            if let index = element.indexValue { return .number(String(index)) }
                            return .string(element.keyValue ?? "")
                        })
                ))
        }
        if !error.extensions.isEmpty {
            members.append(("extensions", .object(error.extensions.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) })))
        }
        return .object(members)
    }

    private static func json(_ map: Map) -> JSONValue {
        switch map {
        case .undefined, .null: .null
        case .bool(let value): .bool(value)
        case .number(let number): .number(number.storageType == .bool ? (number.intValue == 0 ? "0" : "1") : number.description)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(json))
        case .dictionary(let members): .object(members.map { ($0.key, json($0.value)) })
        }
    }

    /// A resolver's `SandboxError` becomes an error with its `extensions.code`, as upstreams send.
    private static func withCode(_ error: GraphQLError) -> GraphQLError {
        guard let sandbox = error.originalError as? SandboxError, let code = sandbox.code else { return error }
        return GraphQLError(message: sandbox.message, locations: error.locations, path: error.path, extensions: ["code": .string(code)])
    }

    private static func rootFields(of document: Document, operationName: String?) -> Set<String> {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        let chosen = operations.first { operationName == nil || $0.name?.value == operationName }
        return Set(chosen?.selectionSet.selections.map { ($0 as? Field)?.name.value ?? "…" } ?? ["…"])
    }

    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    static func errors(_ status: Int, _ entries: [(message: String, code: String)]) -> HTTPResponse {
        var json = JSONWriter()
        json.beginObject()
        if status == 200 {
            json.key("data")
            json.null()
        }
        json.key("errors")
        json.beginArray()
        for entry in entries {
            json.beginObject()
            json.member("message", entry.message)
            json.key("extensions")
            json.beginObject()
            json.member("code", entry.code)
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return HTTPResponse.json(status, json.bytes)
    }
}
