public import RestgateHTTP

/// One GraphQL operation as a route sends it.
public struct GraphQLOperation: Sendable {
    public var document: String
    public var operationName: String?
    /// Mutations are never sent twice; queries may be retried on a fresh connection.
    public var isMutation: Bool

    public init(document: String, operationName: String? = nil, isMutation: Bool) {
        self.document = document
        self.operationName = operationName
        self.isMutation = isMutation
    }
}

/// A GraphQL answer: `data` and `errors` as the upstream sent them (both may be present).
public struct GraphQLResponse: Sendable {
    public var status: Int
    public var data: JSONValue?
    public var errors: [JSONValue]
    /// The value at the path the call selected, as the upstream wrote it, when the answer has
    /// one that is not null and carries no `errors`; `data` is then left unparsed (nil).
    public var selected: [UInt8]?

    public init(status: Int, data: JSONValue?, errors: [JSONValue], selected: [UInt8]? = nil) {
        self.status = status
        self.data = data
        self.errors = errors
        self.selected = selected
    }
}

/// Why a GraphQL call gave no usable answer, typed for the gateway's error mapping.
public enum GraphQLCallError: Error, Sendable, Equatable {
    /// Connection refused or reset, timeout, TLS, framing, size: see `UpstreamError`.
    case transport(UpstreamError)
    /// A status outside 2xx; the body when it was JSON (a 400 may carry validation errors).
    case status(Int, body: JSONValue?)
    /// A 2xx answer that is empty, not JSON, or not a GraphQL response object.
    case notJSON(String)
}

/// Sends GraphQL operations to one upstream with the caller's forwarded headers.
public struct GraphQLClient: Sendable {
    public let upstream: UpstreamClient

    public init(upstream: UpstreamClient) {
        self.upstream = upstream
    }

    /// Sends `operation`. With `select` (a path under `data`), a clean answer's value there
    /// comes back as bytes in `selected`: checked as strictly as a parse, but not parsed into
    /// a tree and written again.
    public func execute(
        _ operation: GraphQLOperation, variables: JSONValue, forwarding headers: [(name: String, value: String)], on loop: EventLoop,
        select: [JSONPathStep]? = nil
    ) async -> Result<GraphQLResponse, GraphQLCallError> {
        var json = JSONWriter()
        json.beginObject()
        json.member("query", operation.document)
        if let name = operation.operationName { json.member("operationName", name) }
        json.key("variables")
        variables.write(to: &json)
        json.endObject()
        let request = UpstreamRequest(
            path: upstream.url.path, headers: [("Content-Type", "application/json"), ("Accept", "application/json")] + headers,
            body: json.bytes, isIdempotent: !operation.isMutation)
        let response: UpstreamResponse
        switch await upstream.send(request, on: loop) {
        case .success(let answer): response = answer
        case .failure(let error): return .failure(.transport(error))
        }
        if let select, (200...299).contains(response.status), let selected = Self.selectedValue(response.body, at: select) {
            return .success(GraphQLResponse(status: response.status, data: nil, errors: [], selected: selected))
        }
        let parsed = try? JSONParser.parse(response.body)
        guard (200...299).contains(response.status) else { return .failure(.status(response.status, body: parsed)) }
        guard let parsed, case .object = parsed, parsed["data"] != nil || parsed["errors"] != nil else {
            let reason = response.body.isEmpty ? "an empty body" : "a body that is not a GraphQL JSON response"
            return .failure(.notJSON("HTTP \(response.status) with \(reason)"))
        }
        return .success(GraphQLResponse(status: response.status, data: parsed["data"], errors: parsed["errors"]?.array ?? []))
    }

    /// The bytes of `data` at `path` when the body is well-formed JSON without `errors` and
    /// the value there is not null; nil sends the caller down the full parse.
    static func selectedValue(_ body: [UInt8], at path: [JSONPathStep]) -> [UInt8]? {
        guard let found = try? JSONParser.locate([[.member("errors")], [.member("data")] + path], in: body), found[0] == nil,
            let range = found[1], body[range.lowerBound] != UInt8(ascii: "n")
        else { return nil }
        return Array(body[range])
    }
}
