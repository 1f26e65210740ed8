import OrderedCollections
import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateTokens
import RestgateUpstream

/// Runs one REST route, the last of its stages: checks the input, builds the variables, makes
/// the one GraphQL call, and shapes the answer (resource, list with paging, status, Location) or
/// the problem. A class: every stage of the chain passes it on, one reference rather than a
/// copy of each field.
final class RouteExecutor: Sendable {
    let route: CompiledRoute
    let client: GraphQLClient
    // Worked out once per route rather than per request:
    private let operation: GraphQLOperation
    private let sortedVariables: [(name: String, source: VariableSource)]
    /// Where the route's value lies in the answer: a single resource with the members the
    /// `Location` template names, or a list's page with its items, cursor and count, both
    /// copied out of the answer's bytes instead of parsed (nil: the parsed path).
    private let selection: GraphQLSelection?
    private let location: LocationTemplate?
    /// Whether any variable comes from the body, so that the body is read at all.
    private let readsBody: Bool
    /// The query parameters the route takes; any other is refused.
    private let queryNames: Set<String>

    init(route: CompiledRoute, client: GraphQLClient) {
        self.route = route
        self.client = client
        let definition = route.definition
        operation = GraphQLOperation(
            document: definition.document, operationName: definition.operationName, isMutation: definition.isMutation)
        sortedVariables = definition.variables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        location = definition.location.map(LocationTemplate.init)
        readsBody = definition.variables.values.contains(where: \.readsBody)
        var queryNames = Set(definition.variables.values.flatMap(\.queryParameters).map(\.name))
        if definition.list != nil { queryNames.insert("cursor") }
        if definition.list?.pageSizeVariable != nil { queryNames.insert("limit") }
        self.queryNames = queryNames
        let locationMembers = location?.names ?? []
        if let list = definition.list {
            selection =
                definition.location == nil && !definition.single
                ? GraphQLSelection(path: definition.result.map(JSONPathStep.member), memberPaths: Self.pageMemberPaths(list)) : nil
        } else {
            selection = GraphQLSelection(
                path: definition.result.map(JSONPathStep.member) + (definition.single ? [.element(0)] : []), members: locationMembers)
        }
    }

    var definition: RouteDefinition { route.definition }

    func handle(_ call: RouteCall) async throws(Problem) -> HTTPResponse {
        // Read through `call`, not copied out of it: a copy of the request retains each of
        // its strings.
        let query = try QueryString(call.request.query)
        var checker = InputChecker()
        let body = try readBody(call.request, parsed: call.parsedBody, checker: &checker)
        checkQueryNames(query, checker: &checker)
        var variables: [(key: String, value: JSONValue)] = []
        let context = BuildContext(headers: call.request.headers, parameters: call.parameters, query: query, body: body, token: call.token)
        for (name, source) in sortedVariables {
            if let value = build(source, shape: route.variableShapes[name], context: context, checker: &checker) {
                variables.append((name, value))
            }
        }
        if let list = definition.list { addPaging(list, query: query, to: &variables, checker: &checker) }
        guard checker.problems.isEmpty else {
            let count = checker.problems.count
            let detail =
                checker.isFull
                ? "The request has more than \(count) problems; the first \(count) are listed in errors, and the check stopped there."
                : "The request has \(count) problem\(count == 1 ? "" : "s"); see errors."
            throw Problem(.invalidRequest, detail: detail, errors: checker.problems)
        }
        guard let loop = call.request.eventLoop else { throw Problem(.internalError, detail: "The request has no event loop.") }
        let outcome = await client.execute(
            operation, variables: .object(variables), forwarding: ForwardedHeaders.select(from: call.request), on: loop,
            select: selection, trace: call.request.trace)
        call.upstreamOutcome?.state = Self.upstreamOutcome(of: outcome)
        call.upstreamOutcome?.failed = Self.upstreamFailed(outcome)
        switch outcome {
        case .failure(let failure):
            throw UpstreamProblems.problem(for: failure, clientCursor: query["cursor"] != nil, rules: route.errorRules)
        case .success(let response):
            if let selected = response.selected {
                if let list = definition.list {
                    return page(selected, members: response.selectedMembers, list: list, request: call.request, query: query)
                }
                return passThrough(selected, members: response.selectedMembers, request: call.request)
            }
            guard response.errors.isEmpty else {
                throw UpstreamProblems.problem(forErrors: response.errors, clientCursor: query["cursor"] != nil, rules: route.errorRules)
            }
            return try shape(response.data, request: call.request, query: query)
        }
    }

    /// Whether the upstream could have acted: only a refused or timed-out connect is certain
    /// to have sent nothing; a 2xx that is not GraphQL leaves the mutation's fate unknown.
    static func upstreamOutcome(of result: Result<GraphQLResponse, GraphQLCallError>) -> UpstreamOutcome.State {
        switch result {
        case .success, .failure(.status): .decided
        case .failure(.transport(.connectionRefused)), .failure(.transport(.connectTimeout)): .notCalled
        case .failure(.transport), .failure(.notJSON): .unknown
        }
    }

    static func upstreamFailed(_ result: Result<GraphQLResponse, GraphQLCallError>) -> Bool {
        switch result {
        case .success: false
        case .failure(.status(let status, _)): status >= 500
        case .failure(.transport), .failure(.notJSON): true
        }
    }

    // MARK: Input

    private struct BuildContext {
        var headers: HTTPHeaders
        var parameters: PathParameters
        var query: QueryString
        var body: JSONValue?
        var token: VerifiedToken?
    }

    /// The JSON body, when the route reads one: declared as JSON (else 415) and well-formed.
    private func readBody(_ request: HTTPRequest, parsed: JSONValue?, checker: inout InputChecker) throws(Problem) -> JSONValue? {
        guard readsBody else { return nil }
        let declared = request.headers["content-type"]
        // The usual spelling is taken as it is; anything else is split, trimmed and lowercased.
        let type = declared == "application/json" ? declared : declared?.split(separator: ";").first?.trimmingWhitespace().lowercased()
        if let type, type != "application/json", !type.hasSuffix("+json") {
            throw Problem(.unsupportedMediaType, detail: "The body must be JSON (Content-Type: application/json); got '\(type)'.")
        }
        guard !request.body.isEmpty else {
            checker.record(ProblemError(message: "A JSON body is required.", field: "", code: "REQUIRED"))
            return nil
        }
        if type == nil {
            throw Problem(.unsupportedMediaType, detail: "The body must be declared as JSON (Content-Type: application/json).")
        }
        if let parsed { return parsed }
        do {
            return try JSONParser.parse(request.body)
        } catch {
            checker.record(ProblemError(message: "The body is not valid JSON: \(error).", field: "", code: "INVALID_JSON"))
            return nil
        }
    }

    private func checkQueryNames(_ query: QueryString, checker: inout InputChecker) {
        for parameter in query.parameters where !queryNames.contains(parameter.name) {
            checker.record(
                ProblemError(
                    message:
                        "Unknown query parameter '\(parameter.name)'\(queryNames.isEmpty ? "" : "; this route takes \(queryNames.sorted().joined(separator: ", "))").",
                    field: parameter.name, code: "UNKNOWN_PARAMETER"))
        }
    }

    private func build(_ source: VariableSource, shape: InputShape?, context: BuildContext, checker: inout InputChecker)
        -> JSONValue?
    {
        switch source {
        case .path(let name, let format):
            guard let text = QueryString.decodePath(context.parameters[name] ?? "") else {
                checker.record(
                    ProblemError(
                        message: "Path parameter '\(name)' has a bad percent escape or is not UTF-8.", field: name, code: "INVALID_ENCODING"
                    ))
                return nil
            }
            return formatted(text, format, name: name, kind: "Path parameter", checker: &checker)
        case .query(let name, let format):
            guard let text = context.query[name] else { return nil }
            guard !text.isEmpty else {
                checker.record(
                    ProblemError(message: "Query parameter '\(name)' must not be empty.", field: name, code: "INVALID_FORMAT"))
                return nil
            }
            return formatted(text, format, name: name, kind: "Query parameter", checker: &checker)
        case .header(let name):
            return context.headers[name].map(JSONValue.string)
        case .claim(let path):
            guard let value = context.token?.claim(path), !value.isNull else {
                let name = path.joined(separator: ".")
                checker.record(
                    ProblemError(
                        message: "The token has no '\(name)' claim, which this route takes as a variable.", field: "Authorization",
                        code: "MISSING_CLAIM"))
                return nil
            }
            return value
        case .body(let merge):
            guard let body = context.body else { return nil }
            if let shape { checker.check(body, against: shape, in: route.shapes, excluding: Set(merge.keys)) }
            guard case .object(var members) = body else { return nil }
            for (name, inner) in merge.sorted(by: { $0.key < $1.key }) {
                if let value = build(inner, shape: route.shapes.field(name, of: shape), context: context, checker: &checker) {
                    members.removeAll { $0.key == name }
                    members.append((name, value))
                }
            }
            return .object(members)
        case .object(let fields):
            var members: [(key: String, value: JSONValue)] = []
            for (name, inner) in fields.sorted(by: { $0.key < $1.key }) {
                if let value = build(inner, shape: route.shapes.field(name, of: shape), context: context, checker: &checker) {
                    members.append((name, value))
                }
            }
            // Nothing given: the variable (or member) is left out, never sent as an empty filter.
            return members.isEmpty ? nil : .object(members)
        }
    }

    private func formatted(_ text: String, _ format: ValueFormat, name: String, kind: String, checker: inout InputChecker) -> JSONValue? {
        switch format {
        case .string:
            return .string(text)
        case .uuid:
            guard UUIDText.isValid(text) else {
                checker.record(
                    ProblemError(message: "\(kind) '\(name)' must be a UUID; got '\(text)'.", field: name, code: "INVALID_FORMAT"))
                return nil
            }
            return .string(text.lowercased())
        case .int:
            guard let number = Int(text) else {
                checker.record(
                    ProblemError(message: "\(kind) '\(name)' must be an integer; got '\(text)'.", field: name, code: "INVALID_FORMAT"))
                return nil
            }
            return .number(String(number))
        }
    }

    /// `?limit=` (1 to 100, default 50) and `?cursor=` become the upstream's paging variables.
    private func addPaging(
        _ list: ListShape, query: QueryString, to variables: inout [(key: String, value: JSONValue)], checker: inout InputChecker
    ) {
        if let sizeVariable = list.pageSizeVariable {
            var size = 50
            if let text = query["limit"] {
                if let value = Int(text), (1...100).contains(value), String(value) == text {
                    size = value
                } else {
                    checker.record(
                        ProblemError(
                            message: "Query parameter 'limit' must be an integer from 1 to 100; got '\(text)'.", field: "limit",
                            code: "INVALID_FORMAT"))
                }
            }
            variables.append((sizeVariable, .number(String(size))))
        }
        if let cursor = query["cursor"] {
            guard !cursor.isEmpty else {
                checker.record(
                    ProblemError(message: "Query parameter 'cursor' must not be empty.", field: "cursor", code: "INVALID_FORMAT"))
                return
            }
            variables.append((list.cursorVariable, .string(cursor)))
        }
    }

    // MARK: Output

    /// The resource as the upstream wrote it (already checked to be JSON, present and not
    /// null); `members` are where the `Location` template's members lie in it.
    private func passThrough(_ resource: [UInt8], members: [Range<Int>?], request: HTTPRequest) -> HTTPResponse {
        var headers = Self.answerHeaders()
        if let url = location?.fill(
            origin: request.origin,
            { index, _ in
                guard index < members.count, let range = members[index] else { return nil }
                return Self.string(resource[range])
            })
        {
            headers.append(("Location", url))
        }
        return HTTPResponse(status: definition.status, headers: headers, body: resource)
    }

    /// `Content-Type`, with room for what the route and the pipeline add to an answer
    /// (`Location`, `Vary`, `Content-Encoding`, `ETag`, `Cache-Control`), so no append grows it.
    private static func answerHeaders() -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(6)
        headers.append(("Content-Type", "application/json"))
        return headers
    }

    private func shape(_ data: JSONValue?, request: HTTPRequest, query: QueryString) throws(Problem) -> HTTPResponse {
        guard var value = data?.value(at: definition.result) else {
            throw Problem(.badUpstreamResponse, detail: "The upstream's answer has no '\(definition.result.joined(separator: "."))'.")
        }
        if definition.single {
            guard case .array(let items) = value, let first = items.first, !first.isNull else {
                throw Problem(.notFound, detail: "No resource matches \(request.path).")
            }
            value = first
        }
        guard !value.isNull else {
            throw Problem(
                .badUpstreamResponse, detail: "The upstream answered '\(definition.result.joined(separator: "."))' with null and no error.")
        }
        var headers = Self.answerHeaders()
        if let list = definition.list {
            let items = value.value(at: list.items) ?? .array([])
            let hasNext = value.value(at: list.hasNextPage) == .bool(true)
            let nextCursor = hasNext ? value.value(at: list.endCursor)?.string : nil
            var members: [(key: String, value: JSONValue)] = [
                ("items", items.isNull ? .array([]) : items), ("nextCursor", nextCursor.map(JSONValue.string) ?? .null),
            ]
            if let path = list.totalCount, let total = value.value(at: path), !total.isNull { members.append(("totalCount", total)) }
            value = .object(members)
            if let nextCursor { headers.append(Self.nextLink(cursor: nextCursor, request: request, query: query)) }
        }
        if let url = location?.fill(origin: request.origin, { value[$1]?.string }) {
            headers.append(("Location", url))
        }
        return HTTPResponse(status: definition.status, headers: headers, body: value.bytes)
    }

    /// A JSON string's text: its bytes when it has no escape (an id), else parsed.
    static func string(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else { return nil }
        let inner = bytes.dropFirst().dropLast()
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        return (try? JSONParser.parse(Array(bytes)))?.string
    }
}

extension JSONValue {
    func value(at path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }
}
