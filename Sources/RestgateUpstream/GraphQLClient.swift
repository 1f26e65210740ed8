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

    public func execute(
        _ operation: GraphQLOperation, variables: JSONValue, forwarding headers: [(name: String, value: String)], on loop: EventLoop
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
        let parsed = try? JSONParser.parse(response.body)
        guard (200...299).contains(response.status) else { return .failure(.status(response.status, body: parsed)) }
        guard let parsed, case .object = parsed, parsed["data"] != nil || parsed["errors"] != nil else {
            let reason = response.body.isEmpty ? "an empty body" : "a body that is not a GraphQL JSON response"
            return .failure(.notJSON("HTTP \(response.status) with \(reason)"))
        }
        return .success(GraphQLResponse(status: response.status, data: parsed["data"], errors: parsed["errors"]?.array ?? []))
    }
}
