import RestgateGzip
public import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// An upstream's answer: status, header fields, and the body (inflated when it was gzip).
public struct UpstreamResponse: Sendable {
    public var status: Int
    /// The fields as byte ranges into the answer's head: nothing on the request path reads
    /// them, so no `String` is made unless something asks.
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public func header(_ name: String) -> String? { headers[name] }
}
