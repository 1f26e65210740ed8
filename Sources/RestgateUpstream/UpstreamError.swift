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
