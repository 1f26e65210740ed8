import RestgateGzip
import RestgateHTTP
public import RestgateJSON
import RestgateRuntime

/// Why a GraphQL call gave no usable answer, typed for the gateway's error mapping.
public enum GraphQLCallError: Error, Sendable, Equatable {
    /// Connection refused or reset, timeout, TLS, framing, size: see `UpstreamError`.
    case transport(UpstreamError)
    /// A status outside 2xx; the body when it was JSON (a 400 may carry validation errors).
    case status(Int, body: JSONValue?)
    /// A 2xx answer that is empty, not JSON, or not a GraphQL response object.
    case notJSON(String)
}
