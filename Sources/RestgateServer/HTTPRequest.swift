import RestgateGzip
public import RestgateHTTP
import RestgateJSON
public import RestgateRuntime

/// A whole request as a handler sees it: the head, the decoded (and, for
/// `Content-Encoding: gzip`, inflated) body, any trailer fields, and the request's id.
///
/// A class, so that the worker's job, the stages and the route call share one request: as a
/// struct of a dozen strings and arrays, each copy along the way took a retain and a release
/// per field (41 bridge retains of 276 a POST, callgrind). `@unchecked Sendable`: everything
/// but `trace` is a constant set by the connection on its loop; one request's task at a time
/// has it, and only the tracing stage writes `trace`, before the stages inside it run.
public final class HTTPRequest: @unchecked Sendable {
    public let head: RequestHead
    public let body: [UInt8]
    public let trailers: HTTPHeaders
    /// The client's sane `X-Request-ID`, or one the server made; echoed on the response.
    public let requestID: String
    public let remoteAddress: String
    /// The loop the request's task runs on; upstream calls made from the handler use its
    /// connection pool, so they need no lock and no thread hop.
    public let eventLoop: EventLoop?
    /// The client, scheme and host as the client used them (through trusted proxies).
    public let forwarded: ForwardedRequest
    /// Set by the tracing stage when tracing is on: the request's spans, whose client span the
    /// upstream call continues.
    public var trace: RequestTrace?

    public init(
        head: RequestHead, body: [UInt8] = [], trailers: HTTPHeaders = HTTPHeaders(), requestID: String, remoteAddress: String = "",
        eventLoop: EventLoop? = nil, forwarded: ForwardedRequest? = nil
    ) {
        self.head = head
        self.body = body
        self.trailers = trailers
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.eventLoop = eventLoop
        self.forwarded =
            forwarded
            ?? ForwardedRequest(
                clientAddress: remoteAddress, scheme: "http", authority: head.headers["host"].flatMap(ForwardedRequest.sane))
    }

    /// The scheme and authority that `absoluteURL` puts before a path, when it puts any.
    public var origin: (scheme: String, authority: String)? {
        forwarded.authority.map { (forwarded.scheme, $0) }
    }

    /// An absolute URL for `path` (with query) on the host and scheme the client used, or the
    /// path alone when the host is unknown.
    public func absoluteURL(_ pathAndQuery: String) -> String {
        guard let authority = forwarded.authority else { return pathAndQuery }
        return "\(forwarded.scheme)://\(authority)\(pathAndQuery)"
    }

    public var method: HTTPMethod { head.method }
    public var path: String { head.path }
    public var query: String? { head.query }
    public var headers: HTTPHeaders { head.headers }
}
