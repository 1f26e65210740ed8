import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// One request to an upstream; the client adds `Host`, `Content-Length`, `Accept-Encoding`.
public struct UpstreamRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Whether sending it twice is harmless (a GraphQL query, not a mutation). Only such a
    /// request is retried after it may have reached the upstream.
    public var isIdempotent: Bool

    public init(
        method: String = "POST", path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [], isIdempotent: Bool
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.isIdempotent = isIdempotent
    }
}
