import RestgateGzip
public import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// What answers requests. It runs as a task on the event loop of the request's connection;
/// anything it awaits resumes there.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}
