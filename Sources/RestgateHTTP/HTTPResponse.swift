/// A response a handler returns: status, header fields (in order, repeats allowed) and a body.
/// The server adds `Date`, `Server`, `Content-Length`, `Connection`, `X-Request-ID`, and
/// `Content-Encoding`/`Vary` when it compresses.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var notes = ResponseNotes()

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { ByteClass.equalIgnoringCase($0.name, name) }?.value
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { ByteClass.equalIgnoringCase($0.name, name) }
        headers.append((name, value))
    }

    /// A JSON body with its content type.
    public static func json(_ status: Int, _ body: [UInt8], contentType: String = "application/json") -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: body)
    }

    /// RFC 9110 §15: statuses whose responses never carry content.
    package var forbidsBody: Bool { status == 204 || status == 304 || (100...199).contains(status) }
}
