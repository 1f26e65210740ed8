import RestgateGzip
import RestgateHTTP
public import RestgateJSON
public import RestgateRuntime

/// Sends GraphQL operations to one upstream with the caller's forwarded headers.
public struct GraphQLClient: Sendable {
    public let upstream: UpstreamClient

    public init(upstream: UpstreamClient) {
        self.upstream = upstream
    }

    /// Sends `operation`. With `select`, a clean answer's selected value comes back as bytes
    /// in `selected`: checked as strictly as a parse, but not parsed into a tree and written
    /// again; its members are located in the same pass.
    public func execute(
        _ operation: GraphQLOperation, variables: JSONValue, forwarding headers: [(name: String, value: String)], on loop: EventLoop,
        select: GraphQLSelection? = nil
    ) async -> Result<GraphQLResponse, GraphQLCallError> {
        let request = UpstreamRequest(
            path: upstream.url.path, headers: [("Content-Type", "application/json"), ("Accept", "application/json")] + headers,
            body: operation.body(variables: variables), isIdempotent: !operation.isMutation)
        let response: UpstreamResponse
        switch await upstream.send(request, on: loop) {
        case .success(let answer): response = answer
        case .failure(let error): return .failure(.transport(error))
        }
        if let select, (200...299).contains(response.status),
            let (selected, found) = Self.selectedValue(response.body, select)
        {
            return .success(GraphQLResponse(status: response.status, data: nil, errors: [], selected: selected, selectedMembers: found))
        }
        let parsed = try? JSONParser.parse(response.body)
        guard (200...299).contains(response.status) else { return .failure(.status(response.status, body: parsed)) }
        guard let parsed, case .object = parsed, parsed["data"] != nil || parsed["errors"] != nil else {
            let reason = response.body.isEmpty ? "an empty body" : "a body that is not a GraphQL JSON response"
            return .failure(.notJSON("HTTP \(response.status) with \(reason)"))
        }
        return .success(GraphQLResponse(status: response.status, data: parsed["data"], errors: parsed["errors"]?.array ?? []))
    }

    /// The selected bytes when the body is well-formed JSON without `errors` and the value
    /// there is not null, with where its members lie in them; nil sends the caller down the
    /// full parse.
    package static func selectedValue(_ body: [UInt8], _ selection: GraphQLSelection) -> ([UInt8], [Range<Int>?])? {
        guard let found = try? JSONParser.locate(selection.paths, in: body), found[0] == nil,
            let range = found[1], body[range.lowerBound] != UInt8(ascii: "n")
        else { return nil }
        let shift = range.lowerBound
        return (Array(body[range]), found[2...].map { $0.map { ($0.lowerBound - shift)..<($0.upperBound - shift) } })
    }
}
