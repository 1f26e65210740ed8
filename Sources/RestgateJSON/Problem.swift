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

/// One entry of a problem's `errors` list.
public struct ProblemError: Sendable, Equatable {
    public var message: String
    /// A JSON pointer into the request body.
    public var field: String?
    /// A path into the upstream's answer.
    public var path: String?
    public var code: String

    public init(message: String, field: String? = nil, path: String? = nil, code: String) {
        self.message = message
        self.field = field
        self.path = path
        self.code = code
    }
}

/// An RFC 9457 problem. Every error that leaves the process as HTTP is one of these, and
/// `response` is the single place that turns one into bytes.
public struct Problem: Error, Sendable {
    public var code: ProblemCode
    public var detail: String
    public var errors: [ProblemError]
    /// Extra top-level members, such as `quotaPeriod`.
    public var members: [(name: String, value: String)]
    /// Header fields the status calls for: `Allow`, `Retry-After`, `WWW-Authenticate`.
    public var headers: [(name: String, value: String)]

    public init(
        _ code: ProblemCode, detail: String, errors: [ProblemError] = [],
        members: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = []
    ) {
        self.code = code
        self.detail = detail
        self.errors = errors
        self.members = members
        self.headers = headers
    }

    public var status: Int { code.status }

    public static let contentType = "application/problem+json"

    /// At most this many `errors` entries; the rest are counted in `errorsOmitted`.
    public static let maxErrors = 100
    /// No problem body is larger: an answer stays bounded by its cause, whatever it echoes.
    public static let maxBodyBytes = 65536
    private static let maxMembers = 16

    /// The problem as a response. `instance` is the request's path, or a URN naming the
    /// request when it never had one; `requestID` is the value sent in `X-Request-ID`.
    /// Bounded: at most `maxErrors` entries and `maxBodyBytes` in all, `errorsOmitted`
    /// counting the entries left out.
    public func response(requestID: String, instance: String?) -> HTTPResponse {
        var body = render(requestID: requestID, instance: instance, detailLimit: 4096, textLimit: 512)
        // Only texts full of characters JSON must escape (six bytes each) get here; shorter
        // cuts then fit whatever they hold.
        if body.count > Self.maxBodyBytes {
            body = render(requestID: requestID, instance: instance, detailLimit: 256, textLimit: 64)
        }
        var response = HTTPResponse.json(code.status, body, contentType: Self.contentType)
        response.headers.append(contentsOf: headers)
        return response
    }

    private func render(requestID: String, instance: String?, detailLimit: Int, textLimit: Int) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.member("type", code.typeURI)
        json.member("title", code.title)
        json.member("status", code.status)
        json.member("detail", Self.bounded(detail.isEmpty ? code.title : detail, detailLimit))
        json.member(
            "instance", Self.bounded(instance.flatMap { $0.isEmpty ? nil : $0 } ?? "urn:restgate:request:\(requestID)", detailLimit))
        json.member("code", code.name)
        json.member("requestId", requestID)
        for member in members.prefix(Self.maxMembers) { json.member(member.name, Self.bounded(member.value, textLimit)) }
        var written = 0
        if !errors.isEmpty {
            // Entries stop while one more (three texts, each escaped at worst six times its
            // length) and the closing bytes still fit.
            let budget = Self.maxBodyBytes - 3 * 6 * textLimit - 512
            json.key("errors")
            json.beginArray()
            for error in errors.prefix(Self.maxErrors) {
                guard json.bytes.count < budget else { break }
                json.beginObject()
                json.member("message", Self.bounded(error.message, textLimit))
                if let field = error.field { json.member("field", Self.bounded(field, textLimit)) }
                if let path = error.path { json.member("path", Self.bounded(path, textLimit)) }
                json.member("code", Self.bounded(error.code, 64))
                json.endObject()
                written += 1
            }
            json.endArray()
        }
        let omitted = errors.count - written
        if omitted > 0 { json.member("errorsOmitted", omitted) }
        json.endObject()
        return json.bytes
    }

    /// `text` cut to at most `limit` bytes at a character boundary, with an ellipsis.
    package static func bounded(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var bytes = Array(text.utf8.prefix(max(0, limit - 3)))
        // Drop a character the cut went through (at most one whole one goes with it).
        while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
        if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self) + "\u{2026}"
    }
}
