/// The parsed request line and header section of one request.
public struct RequestHead: Sendable {
    public var method: HTTPMethod
    /// The request target exactly as sent.
    public var target: String
    /// The path of the target (absolute-form targets are reduced to it), still percent-encoded.
    public var path: String
    /// The query after `?`, without it; nil when the target has none.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    /// Whether the connection stays open after this request (RFC 9112 §9.3).
    public var wantsKeepAlive: Bool {
        let connection = headers.listElements("connection")
        if connection.contains("close") { return false }
        if version == .http1_0 { return connection.contains("keep-alive") }
        return true
    }
}

extension RequestHead {
    /// Decides the body's framing, refusing every ambiguity a proxy in front of us might
    /// resolve differently (request smuggling): both framings, repeated or odd lengths, and
    /// transfer codings other than a lone final `chunked`.
    public func bodyFraming() throws(HTTPParseError) -> BodyFraming {
        let codings = headers.listElements("transfer-encoding")
        let lengthCount = headers.count(of: "content-length")
        if headers.contains("transfer-encoding") {
            if version == .http1_0 { throw .transferEncodingInHTTP10 }
            if lengthCount > 0 { throw .conflictingFraming }
            guard codings.last == "chunked" else { throw .chunkedNotFinal }
            guard codings.count == 1 else { throw .unsupportedTransferCoding }
            return .chunked
        }
        guard lengthCount > 0 else { return .none }
        guard lengthCount == 1 else { throw .repeatedContentLength }
        let value = headers["content-length"] ?? ""
        guard !value.isEmpty, value.utf8.count <= 18,
            value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let length = Int(value)
        else { throw .invalidContentLength }
        return length == 0 ? .none : .contentLength(length)
    }
}
