import RestgateGzip
import RestgateHTTP
public import RestgateJSON
public import RestgateRuntime

/// One GraphQL operation as a route sends it.
public struct GraphQLOperation: Sendable {
    public let document: String
    public let operationName: String?
    /// Mutations are never sent twice; queries may be retried on a fresh connection.
    public let isMutation: Bool
    /// The request body up to the variables' value, `{"query":"…","variables":`, escaped once
    /// here rather than on every call (a route's document is a kilobyte or more).
    package let bodyPrefix: [UInt8]

    public init(document: String, operationName: String? = nil, isMutation: Bool) {
        self.document = document
        self.operationName = operationName
        self.isMutation = isMutation
        var json = JSONWriter()
        json.beginObject()
        json.member("query", document)
        if let operationName { json.member("operationName", operationName) }
        json.key("variables")
        bodyPrefix = json.bytes
    }

    /// The whole request body for `variables`.
    package func body(variables: JSONValue) -> [UInt8] {
        var json = JSONWriter()
        variables.write(to: &json)
        var body = bodyPrefix
        body.reserveCapacity(bodyPrefix.count + json.bytes.count + 1)
        body.append(contentsOf: json.bytes)
        body.append(UInt8(ascii: "}"))
        return body
    }
}

/// What a call wants back unparsed: the value at `path` under `data`, and where the `members`
/// of that value lie in it. The paths `JSONParser.locate` follows are built here, once per
/// route, not on every call.
public struct GraphQLSelection: Sendable {
    package let paths: [[JSONPathStep]]

    /// Nil when there are more members than one locate can follow (the call then parses).
    public init?(path: [JSONPathStep], members: [String] = []) {
        let selected = [JSONPathStep.member("data")] + path
        paths = [[.member("errors")], selected] + members.map { selected + [.member($0)] }
        guard paths.count <= JSONParser.maxPaths else { return nil }
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
    /// Where each of the selection's `members` lies in `selected`, if present.
    public var selectedMembers: [Range<Int>?]

    public init(status: Int, data: JSONValue?, errors: [JSONValue], selected: [UInt8]? = nil, selectedMembers: [Range<Int>?] = []) {
        self.status = status
        self.data = data
        self.errors = errors
        self.selected = selected
        self.selectedMembers = selectedMembers
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
