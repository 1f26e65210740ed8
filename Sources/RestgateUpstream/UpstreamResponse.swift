import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// An upstream's answer: status, header fields, and the body (inflated when it was gzip).
public struct UpstreamResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { ByteClass.equalIgnoringCase($0.name, name) }?.value
    }
}
