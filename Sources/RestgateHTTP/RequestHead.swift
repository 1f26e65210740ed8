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
        // Read in place: asked of every request, which nearly never has the field.
        if headers.hasListElement("connection", "close") { return false }
        if version == .http1_0 { return headers.hasListElement("connection", "keep-alive") }
        return true
    }
}

extension RequestHead {
    /// Decides the body's framing, refusing every ambiguity a proxy in front of us might
    /// resolve differently (request smuggling): both framings, repeated or odd lengths, and
    /// transfer codings other than a lone final `chunked`.
    public func bodyFraming() throws(HTTPParseError) -> BodyFraming {
        let lengthCount = headers.count(of: "content-length")
        if headers.contains("transfer-encoding") {
            if version == .http1_0 { throw .transferEncodingInHTTP10 }
            if lengthCount > 0 { throw .conflictingFraming }
            let codings = headers.listElements("transfer-encoding")
            guard codings.last == "chunked" else { throw .chunkedNotFinal }
            guard codings.count == 1 else { throw .unsupportedTransferCoding }
            return .chunked
        }
        guard lengthCount > 0 else { return .none }
        guard lengthCount == 1 else { throw .repeatedContentLength }
        // Digits only, at most 18 of them (so the value fits), read from the field's bytes.
        let parsed = headers.withFirstValue("content-length") { bytes -> Int? in
            guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
            var value = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let length = parsed ?? nil else { throw .invalidContentLength }
        return length == 0 ? .none : .contentLength(length)
    }
}
