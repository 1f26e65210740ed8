public import RestgateHTTP
import RestgateJSON
import RestgateRuntime
public import RestgateServer

/// A responder that describes the request back as JSON, and obeys a few test headers:
/// `x-delay-ms` (await before answering), `x-status`, `x-body-size` (pad the body to about
/// that many bytes), `x-content-type`.
public struct EchoResponder: HTTPResponder {
    public init() {}

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        if let delay = request.headers["x-delay-ms"].flatMap({ Int($0) }) {
            try? await Task.sleep(for: .milliseconds(delay))
        }
        var json = JSONWriter()
        json.beginObject()
        json.member("method", request.method.rawValue)
        json.member("path", request.path)
        json.member("query", request.query ?? "")
        json.member("body", String(decoding: request.body, as: UTF8.self))
        json.member("bodyBytes", request.body.count)
        json.member("client", request.forwarded.clientAddress)
        json.key("onLoop")
        json.bool(request.eventLoop?.inLoop ?? false)
        json.member("url", request.absoluteURL(request.path))
        json.key("trailers")
        json.beginObject()
        for (name, value) in request.trailers { json.member(name.lowercased(), value) }
        json.endObject()
        if let size = request.headers["x-body-size"].flatMap({ Int($0) }) {
            json.member("padding", String(repeating: "restgate ", count: max(0, size / 9)))
        }
        json.endObject()
        let status = request.headers["x-status"].flatMap { Int($0) } ?? 200
        let contentType = request.headers["x-content-type"] ?? "application/json"
        return HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: json.bytes)
    }
}
