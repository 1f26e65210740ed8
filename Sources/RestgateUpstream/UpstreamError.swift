import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// Why an upstream call failed, typed so the gateway can map each to a status and a code.
public enum UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing listens at the address (ECONNREFUSED), or it is unreachable.
    case connectionRefused(String)
    /// The connection broke (reset, or closed before a whole answer).
    case connectionReset(String)
    case connectTimeout
    /// No whole answer within the request deadline.
    case timeout
    /// The answer's framing or gzip was broken.
    case malformedResponse(String)
    case bodyTooLarge(limit: Int)
    /// The address could not be resolved or the socket could not be made.
    case unavailable(String)
    /// The TLS handshake failed: an untrusted certificate, a wrong host name, no common protocol.
    case tls(String)

    /// The kind of failure in a few words, with no address or detail in it: what `/readyz`
    /// may tell anyone who asks.
    public var kind: String {
        switch self {
        case .connectionRefused: "connection refused"
        case .connectionReset: "connection reset"
        case .connectTimeout, .timeout: "timeout"
        case .malformedResponse: "malformed answer"
        case .bodyTooLarge: "answer too large"
        case .unavailable: "unavailable"
        case .tls: "TLS"
        }
    }

    public var description: String {
        switch self {
        case .connectionRefused(let detail): "connection refused: \(detail)"
        case .connectionReset(let detail): "connection reset: \(detail)"
        case .connectTimeout: "connect timed out"
        case .timeout: "no answer before the request deadline"
        case .malformedResponse(let detail): "malformed answer: \(detail)"
        case .bodyTooLarge(let limit): "answer larger than \(limit) bytes"
        case .unavailable(let detail): "unavailable: \(detail)"
        case .tls(let detail): "TLS: \(detail)"
        }
    }
}

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

/// An upstream's answer: status, header fields, and the body (inflated when it was gzip).
public struct UpstreamResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
