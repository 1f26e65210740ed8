/// Serialises a response head. Header fields the server owns (framing, `Date`, `Server`,
/// `Connection`) are written here and dropped from what the handler set, and a field whose
/// name or value could split the head (CR, LF) is dropped rather than sent.
package enum ResponseEncoder {
    private static let crlf: [UInt8] = [13, 10]
    /// Whether the server writes `name` itself (`Content-Length`, `Transfer-Encoding`,
    /// `Connection`, `Date`, `Server`, `Keep-Alive`); compared as bytes, without lowercasing,
    /// and only when the length is one of theirs.
    private static func isServerOwned(_ name: String) -> Bool {
        let owned: String
        switch name.utf8.count {
        case 4: owned = "date"
        case 6: owned = "server"
        case 10: return ByteClass.equalIgnoringCase(name, "connection") || ByteClass.equalIgnoringCase(name, "keep-alive")
        case 14: owned = "content-length"
        case 17: owned = "transfer-encoding"
        default: return false
        }
        return ByteClass.equalIgnoringCase(name, owned)
    }

    package static func head(
        for response: HTTPResponse, bodyLength: Int, date: [UInt8], keepAlive: Bool, version: HTTPVersion,
        extraHeaders: [(name: String, value: String)]
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        bytes.appendLiteral("HTTP/1.1 ")
        bytes.appendDecimal(response.status)
        bytes.append(UInt8(ascii: " "))
        bytes.appendUTF8(HTTPStatus.reasonPhrase(response.status))
        bytes.append(contentsOf: crlf)
        bytes.appendLiteral("Date: ")
        bytes.append(contentsOf: date)
        bytes.append(contentsOf: crlf)
        bytes.appendLiteral("Server: restgate\r\n")
        for field in response.headers where isSafe(field) && !isServerOwned(field.name) {
            append(field, to: &bytes)
        }
        for field in extraHeaders { append(field, to: &bytes) }
        if !response.forbidsBody {
            bytes.appendLiteral("Content-Length: ")
            bytes.appendDecimal(bodyLength)
            bytes.append(contentsOf: crlf)
        }
        if !keepAlive {
            bytes.appendLiteral("Connection: close\r\n")
        } else if version == .http1_0 {
            bytes.appendLiteral("Connection: keep-alive\r\n")
        }
        bytes.append(contentsOf: crlf)
        return bytes
    }

    private static func append(_ field: (name: String, value: String), to bytes: inout [UInt8]) {
        bytes.appendUTF8(field.name)
        bytes.appendLiteral(": ")
        bytes.appendUTF8(field.value)
        bytes.append(contentsOf: crlf)
    }

    /// Over the fields' UTF-8 buffers: a `String.UTF8View` walked byte by byte cost more than
    /// the rest of the head.
    private static func isSafe(_ field: (name: String, value: String)) -> Bool {
        field.name.withUTF8Bytes { !$0.isEmpty && ByteClass.isToken($0) }
            && field.value.withUTF8Bytes { HTTPHeaders.isFieldContent($0, from: 0, to: $0.count) }
    }

    /// Media types worth compressing: JSON of any flavour, text, YAML, XML.
    package static func isCompressible(_ contentType: String?) -> Bool {
        // Nearly every answer is JSON: that spelling is taken without splitting or lowercasing.
        if contentType == "application/json" || contentType == "application/problem+json" { return true }
        guard let type = contentType?.split(separator: ";").first?.trimmingWhitespace().lowercased() else { return false }
        return type.hasPrefix("text/") || type == "application/json" || type.hasSuffix("+json")
            || type == "application/yaml" || type == "application/xml" || type == "application/javascript"
    }
}
