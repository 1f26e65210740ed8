import RestgateHTTP

/// The labels of one request-duration series, each from a bounded set: the route template (or
/// `unmatched`), a known method (or `_OTHER`), the status, and the problem code.
struct RequestLabels: Hashable, Sendable {
    static let unmatched = "unmatched"
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"]

    var route: String
    var method: String
    var status: Int
    var code: String

    var pairs: [(String, String)] {
        var pairs = [("http_route", route), ("http_request_method", method), ("http_response_status_code", String(status))]
        if !code.isEmpty { pairs.append(("code", code)) }
        return pairs
    }

    /// OpenTelemetry's rule: a method outside the known set is `_OTHER`, so a client cannot make
    /// a series per made-up method.
    static func boundedMethod(_ method: HTTPMethod) -> String {
        knownMethods.contains(method.rawValue) ? method.rawValue : "_OTHER"
    }
}
