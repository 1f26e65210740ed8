/// The forms a request target may take (RFC 9112 §3.2).
public enum RequestTarget {
    /// Splits a target into its path and query; absolute-form targets are reduced to their path.
    package static func split(_ target: String) -> (path: String, query: String?) {
        // Byte offsets, not Characters: the delimiters are ASCII, and grapheme breaking over
        // every target cost more than the rest of routing.
        let bytes = Array(target.utf8)
        var start = 0
        if hasHTTPScheme(target) {
            let afterScheme = bytes.firstIndex(of: UInt8(ascii: ":"))! + 3
            guard let slash = bytes[afterScheme...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else {
                return ("/", nil)
            }
            if bytes[slash] == UInt8(ascii: "?") { return ("/", text(bytes[(slash + 1)...])) }
            start = slash
        }
        guard let question = bytes[start...].firstIndex(of: UInt8(ascii: "?")) else {
            return start == 0 ? (target, nil) : (text(bytes[start...]), nil)
        }
        return (text(bytes[start..<question]), text(bytes[(question + 1)...]))
    }

    /// Whether a target is one this server answers: origin-form, absolute-form with an
    /// http(s) scheme, or `*` for OPTIONS. A fragment is never part of a request target.
    package static func isAcceptable(_ target: String, method: HTTPMethod) -> Bool {
        if target.utf8.contains(UInt8(ascii: "#")) { return false }
        if target == "*" { return method == .options }
        if target.utf8.first == UInt8(ascii: "/") { return true }
        return hasHTTPScheme(target)
    }

    private static func hasHTTPScheme(_ target: String) -> Bool {
        ByteClass.hasPrefixIgnoringCase(target, "http://") || ByteClass.hasPrefixIgnoringCase(target, "https://")
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
