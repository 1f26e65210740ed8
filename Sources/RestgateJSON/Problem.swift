public import RestgateHTTP

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

    /// A status other than the code's usual one: `UPSTREAM_UNAVAILABLE` is 502 when a call
    /// failed and 503 when the circuit breaker refused to make it.
    public var statusOverride: Int?

    public var status: Int { statusOverride ?? code.status }

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
        var response = HTTPResponse.json(status, body, contentType: Self.contentType)
        response.headers.append(contentsOf: headers)
        response.notes.problemCode = code.name
        return response
    }

    private func render(requestID: String, instance: String?, detailLimit: Int, textLimit: Int) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.member("type", code.typeURI)
        json.member("title", code.title)
        json.member("status", status)
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
