import RestgateGzip
public import RestgateHTTP
import RestgateJSON
public import RestgateRuntime

/// A whole request as a handler sees it: the head, the decoded (and, for
/// `Content-Encoding: gzip`, inflated) body, any trailer fields, and the request's id.
public struct HTTPRequest: Sendable {
    public var head: RequestHead
    public var body: [UInt8]
    public var trailers: HTTPHeaders
    /// The client's sane `X-Request-ID`, or one the server made; echoed on the response.
    public var requestID: String
    public var remoteAddress: String
    /// The loop the request's task runs on; upstream calls made from the handler use its
    /// connection pool, so they need no lock and no thread hop.
    public var eventLoop: EventLoop?
    /// The client, scheme and host as the client used them (through trusted proxies).
    public var forwarded: ForwardedRequest
    /// Set by the tracing stage when tracing is on: the request's spans, whose client span the
    /// upstream call continues.
    public var trace: RequestTrace?

    public init(
        head: RequestHead, body: [UInt8] = [], trailers: HTTPHeaders = HTTPHeaders(), requestID: String, remoteAddress: String = "",
        eventLoop: EventLoop? = nil
    ) {
        self.head = head
        self.body = body
        self.trailers = trailers
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.eventLoop = eventLoop
        self.forwarded = ForwardedRequest(
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
