import RestgateHTTP
public import RestgateServer

/// The request headers that reach an upstream: an allow-list, never the client's `Host`,
/// `Cookie`, `Proxy-Authorization`, hop-by-hop fields (RFC 9110 §7.6.1) or anything else.
public enum ForwardedHeaders {
    /// Forwarded exactly as received (the token's scheme and spacing included).
    package static let passedThrough = ["authorization", "traceparent", "tracestate"]

    /// The fields to send upstream for `request`; `X-Request-ID` is the request's own id, so
    /// upstream logs match ours.
    public static func select(from request: HTTPRequest) -> [(name: String, value: String)] {
        // A field the client names in Connection is hop-by-hop for this request, even if allowed.
        // Asked of the field in place (usually absent), not as a list of strings.
        var selected: [(name: String, value: String)] = []
        selected.reserveCapacity(passedThrough.count + 1)
        for name in passedThrough where !request.headers.hasListElement("connection", name) {
            if let value = request.headers[name] { selected.append((canonical(name), value)) }
        }
        selected.append(("X-Request-ID", request.requestID))
        return selected
    }

    private static func canonical(_ name: String) -> String {
        switch name {
        case "authorization": "Authorization"
        case "traceparent": "traceparent"
        default: name
        }
    }
}
