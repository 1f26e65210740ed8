#if canImport(Glibc)
    import Glibc
#endif

/// The forms a request target may take (RFC 9112 §3.2).
public enum RequestTarget {
    /// Splits a target into its path and query; absolute-form targets are reduced to their path.
    package static func split(_ target: String) -> (path: String, query: String?) {
        // Byte offsets, not Characters: the delimiters are ASCII, and grapheme breaking over
        // every target cost more than the rest of routing. Read in place, not copied out.
        let absolute = hasHTTPScheme(target)
        var bytes = target
        let parts = bytes.withUTF8 { bytes -> (path: Range<Int>?, query: Range<Int>?) in
            var start = 0
            if absolute {
                let afterScheme = bytes.firstIndex(of: UInt8(ascii: ":"))! + 3
                guard
                    let slash = bytes[afterScheme...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") })
                else { return (nil, nil) }
                if bytes[slash] == UInt8(ascii: "?") { return (nil, (slash + 1)..<bytes.count) }
                start = slash
            }
            guard let question = bytes[start...].firstIndex(of: UInt8(ascii: "?")) else { return (start..<bytes.count, nil) }
            return (start..<question, (question + 1)..<bytes.count)
        }
        let path = parts.path.map { $0 == 0..<target.utf8.count ? target : text(target, $0) } ?? "/"
        return (path, parts.query.map { text(target, $0) })
    }

    /// Whether a target is one this server answers: origin-form, absolute-form with an
    /// http(s) scheme, or `*` for OPTIONS. A fragment is never part of a request target.
    package static func isAcceptable(_ target: String, method: HTTPMethod) -> Bool {
        var target = target
        // memchr over the contiguous bytes, not a generic walk of the UTF-8 view.
        let fragment = target.withUTF8 { bytes in
            bytes.baseAddress.map { memchr($0, Int32(UInt8(ascii: "#")), bytes.count) != nil } ?? false
        }
        if fragment { return false }
        if target == "*" { return method == .options }
        if target.utf8.first == UInt8(ascii: "/") { return true }
        return hasHTTPScheme(target)
    }

    private static func hasHTTPScheme(_ target: String) -> Bool {
        ByteClass.hasPrefixIgnoringCase(target, "http://") || ByteClass.hasPrefixIgnoringCase(target, "https://")
    }

    private static func text(_ target: String, _ range: Range<Int>) -> String {
        var target = target
        return target.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }
}
