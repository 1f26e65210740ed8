public import RestgateHTTP

/// One kind of failure: a stable SCREAMING_SNAKE name, its HTTP status, a title, and a
/// paragraph for the human-readable page served at its `type` URI.
public struct ProblemCode: Hashable, Sendable, Codable {
    public let name: String
    public let status: Int
    public let title: String
    public let explanation: String
    /// Members beyond RFC 9457's and the gateway's own that this code's problems carry; a
    /// route file declares them with its own codes.
    public let members: [ProblemMember]

    public init(_ name: String, status: Int, title: String, explanation: String, members: [ProblemMember] = []) {
        self.name = name
        self.status = status
        self.title = title
        self.explanation = explanation
        self.members = members
    }

    /// The `type` URI (RFC 9457 §3.1.1), a path the gateway serves a page at.
    public var typeURI: String { ProblemCode.typePathPrefix + slug }

    public var slug: String { String(name.lowercased().map { $0 == "_" ? "-" : $0 }) }

    public static let typePathPrefix = "/problems/"

    public static func == (lhs: ProblemCode, rhs: ProblemCode) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

extension ProblemCode {
    public static let malformedRequest = ProblemCode(
        "MALFORMED_REQUEST", status: 400, title: "Malformed HTTP request",
        explanation: "The request is not valid HTTP/1.1 (RFC 9112). The connection is closed after this answer.")
    public static let requestTimeout = ProblemCode(
        "REQUEST_TIMEOUT", status: 408, title: "Request header timeout",
        explanation: "The request's header section did not arrive in time. The connection is closed.")
    public static let payloadTooLarge = ProblemCode(
        "PAYLOAD_TOO_LARGE", status: 413, title: "Request body too large",
        explanation: "The request body, or its decompressed form, is larger than the configured limit.")
    public static let uriTooLong = ProblemCode(
        "URI_TOO_LONG", status: 414, title: "Request target too long",
        explanation: "The request target is longer than the configured limit.")
    public static let headersTooLarge = ProblemCode(
        "HEADERS_TOO_LARGE", status: 431, title: "Request header fields too large",
        explanation: "The header section has more bytes or more fields than the configured limits.")
    public static let unsupportedMediaType = ProblemCode(
        "UNSUPPORTED_MEDIA_TYPE", status: 415, title: "Unsupported media type",
        explanation: "The request body's Content-Type or Content-Encoding is not one this endpoint accepts.")
    public static let expectationFailed = ProblemCode(
        "EXPECTATION_FAILED", status: 417, title: "Expectation not supported",
        explanation: "Only 'Expect: 100-continue' is supported.")
    public static let notImplemented = ProblemCode(
        "NOT_IMPLEMENTED", status: 501, title: "Not implemented",
        explanation: "The request uses a feature of HTTP this server does not implement, such as a transfer coding other than chunked.")
    public static let httpVersionNotSupported = ProblemCode(
        "HTTP_VERSION_NOT_SUPPORTED", status: 505, title: "HTTP version not supported",
        explanation: "Only HTTP/1.0 and HTTP/1.1 are served.")
    public static let unavailable = ProblemCode(
        "UNAVAILABLE", status: 503, title: "Service unavailable",
        explanation: "The gateway is draining or at capacity. Retry after the number of seconds in Retry-After.")
    public static let internalError = ProblemCode(
        "INTERNAL_ERROR", status: 500, title: "Internal error",
        explanation: "The gateway failed in a way it did not expect. The request id in the answer finds the log line.")

    /// The code and status for a parse failure.
    public static func forParseError(_ error: HTTPParseError) -> ProblemCode {
        switch error.status {
        case 413: .payloadTooLarge
        case 414: .uriTooLong
        case 431: .headersTooLarge
        case 501: .notImplemented
        case 505: .httpVersionNotSupported
        default: .malformedRequest
        }
    }
}
