import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// One line of the access log: what was asked, what was answered, how long it took.
public struct AccessLogEntry: Sendable {
    public var method: String
    public var path: String
    public var status: Int
    public var duration: Duration
    /// Body bytes sent (after compression).
    public var bytes: Int
    public var requestID: String
    public var remoteAddress: String
    /// The request's trace and SERVER span, when a trace is recorded.
    public var traceID: String?
    public var spanID: String?
    /// The route template that answered, and the problem code of a problem answer.
    public var route: String?
    public var problemCode: String?
    /// False for the answers the server makes itself (a request it could not read, a timeout,
    /// an overload), which never reach the responder and its stages.
    public var fromResponder = false
    /// Forwarding headers from a trusted proxy that could not be read and were ignored, with
    /// the server's running count of such requests, for a debug line.
    public var ignoredForwarding: [String] = []
    public var ignoredForwardingTotal = 0
}
