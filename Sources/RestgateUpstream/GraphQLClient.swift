import RestgateGzip
public import RestgateHTTP
public import RestgateJSON
public import RestgateRuntime

/// Sends GraphQL operations to one upstream with the caller's forwarded headers.
public struct GraphQLClient: Sendable {
    public let upstream: UpstreamClient
    public let observers: [any GraphQLCallObserver]

    public init(upstream: UpstreamClient, observers: [any GraphQLCallObserver] = []) {
        self.upstream = upstream
        self.observers = observers
    }

    /// Sends `operation`. With `select`, a clean answer's selected value comes back as bytes
    /// in `selected`: checked as strictly as a parse, but not parsed into a tree and written
    /// again; its members are located in the same pass.
    public func execute(
        _ operation: GraphQLOperation, variables: JSONValue, forwarding headers: [(name: String, value: String)], on loop: EventLoop,
        select: GraphQLSelection? = nil, trace: RequestTrace? = nil
    ) async -> Result<GraphQLResponse, GraphQLCallError> {
        guard !observers.isEmpty else {
            return await call(operation, variables: variables, forwarding: headers, on: loop, select: select, trace: trace)
        }
        let wallStart = WallClock.nanosecondsSinceEpoch()
        let started = loop.clock.now
        let result = await call(operation, variables: variables, forwarding: headers, on: loop, select: select, trace: trace)
        let (outcome, status, codes) = Self.classify(result)
        let record = GraphQLCallRecord(
            upstream: upstream.name, operationName: operation.operationName ?? "anonymous", isMutation: operation.isMutation,
            outcome: outcome, status: status, errorCodes: codes, startedUnixNanoseconds: wallStart,
            duration: loop.clock.now.duration(since: started), serverAddress: upstream.url.host, serverPort: Int(upstream.url.port),
            trace: trace)
        for observer in observers { observer.observe(record) }
        return result
    }

    private func call(
        _ operation: GraphQLOperation, variables: JSONValue, forwarding headers: [(name: String, value: String)], on loop: EventLoop,
        select: GraphQLSelection?, trace: RequestTrace?
    ) async -> Result<GraphQLResponse, GraphQLCallError> {
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(headers.count + 4)
        fields.append(("Content-Type", "application/json"))
        fields.append(("Accept", "application/json"))
        if let trace {
            // The upstream continues the trace from the gateway's CLIENT span, not the caller's.
            for field in headers
            where !ByteClass.equalIgnoringCase(field.name, "traceparent") && !ByteClass.equalIgnoringCase(field.name, "tracestate") {
                fields.append(field)
            }
            fields.append(("traceparent", trace.client.traceparent))
            if let state = trace.client.traceState { fields.append(("tracestate", state)) }
        } else {
            fields.append(contentsOf: headers)
        }
        let request = UpstreamRequest(
            path: upstream.url.path, headers: fields, body: operation.body(variables: variables), isIdempotent: !operation.isMutation)
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

    /// The outcome label of a call, its upstream status, and its errors' codes.
    static func classify(_ result: Result<GraphQLResponse, GraphQLCallError>) -> (GraphQLCallRecord.Outcome, Int?, [String]) {
        switch result {
        case .success(let response):
            let codes = response.errors.map(Self.code(of:))
            return (codes.isEmpty ? .ok : .graphqlError, response.status, codes)
        case .failure(.transport(let error)):
            switch error {
            case .timeout, .connectTimeout: return (.timeout, nil, [])
            case .malformedResponse, .bodyTooLarge: return (.badResponse, nil, [])
            case .connectionRefused, .connectionReset, .unavailable, .tls: return (.unavailable, nil, [])
            }
        case .failure(.status(let status, let body)):
            if [502, 503, 504].contains(status) { return (.unavailable, status, []) }
            let errors = body?["errors"]?.array ?? []
            return errors.isEmpty ? (.badResponse, status, []) : (.graphqlError, status, errors.map(Self.code(of:)))
        case .failure(.notJSON):
            return (.badResponse, nil, [])
        }
    }

    private static func code(of error: JSONValue) -> String {
        error["extensions"]?["code"]?.string ?? "none"
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
