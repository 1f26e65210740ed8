public import RestgateHTTP
public import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// The check a route that needs a token makes before any upstream call: what cannot be a JWT
/// at all is refused. Signatures are verified by `TokenVerifier` when the route's upstream has
/// keys, else by the upstream.
public enum BearerToken {
    public static func require(_ headers: HTTPHeaders) throws(Problem) {
        // Over the field's bytes: the token becomes a `String` only where it is sent or hashed.
        let shaped = headers.withFirstValue("authorization") { value in
            tokenRange(in: value).map { isJWT(bytes: UnsafeBufferPointer(rebasing: value[$0])) } ?? false
        }
        guard let shaped else { throw missing }
        guard shaped else {
            throw Problem(
                .unauthenticated, detail: "The Authorization header is not 'Bearer' followed by a JWT (three base64url parts).",
                headers: [("WWW-Authenticate", #"Bearer realm="restgate", error="invalid_token""#)])
        }
    }

    /// No credentials at all: the challenge names no error (RFC 6750 §3.1).
    static let missing = Problem(
        .unauthenticated, detail: "This route needs an 'Authorization: Bearer <JWT>' header.",
        headers: [("WWW-Authenticate", #"Bearer realm="restgate""#)])

    /// The credentials after a case-insensitive `Bearer` scheme and at least one space (RFC 9110
    /// §11.1, RFC 6750 §2.1). Runs on every request, so it reads bytes and allocates nothing.
    static func token(in value: String) -> Substring? {
        guard let range = value.withUTF8Bytes(tokenRange(in:)) else { return nil }
        let utf8 = value.utf8
        return value[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
    }

    /// Where `token(in:)`'s credentials lie in the bytes of a field value, or nil.
    static func tokenRange(in value: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var index = 0
        while index < value.count, value[index] == UInt8(ascii: " ") || value[index] == UInt8(ascii: "\t") { index += 1 }
        for letter in "bearer".utf8 {
            // ORing 0x20 folds exactly the upper-case ASCII letter onto its lower-case one.
            guard index < value.count, value[index] | 0x20 == letter else { return nil }
            index += 1
        }
        guard index < value.count, value[index] == UInt8(ascii: " ") else { return nil }
        var end = value.count
        while index < end, ByteClass.isWhitespace(value[index]) { index += 1 }
        while end > index, ByteClass.isWhitespace(value[end - 1]) { end -= 1 }
        return index < end ? index..<end : nil
    }

    /// Three non-empty base64url parts separated by dots; a part of length 4n+1 cannot be
    /// decoded.
    static func isJWT(_ token: Substring) -> Bool {
        // Over the contiguous bytes: a Substring's UTF-8 view costs ~45 instructions a byte.
        token.utf8.withContiguousStorageIfAvailable { isJWT(bytes: $0) }
            ?? Array(token.utf8).withUnsafeBufferPointer { isJWT(bytes: $0) }
    }

    static func isJWT(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var dots = 0
        var start = 0
        while true {
            // Each part runs to the next dot (memchr) and is checked eight bytes at a time.
            let end =
                memchr(base + start, Int32(UInt8(ascii: ".")), bytes.count - start).map {
                    UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base
                } ?? bytes.count
            let length = end - start
            guard length > 0, length % 4 != 1, ByteClassForBase64URL.all(base + start, count: length) else { return false }
            if end == bytes.count { return dots == 2 }
            dots += 1
            guard dots < 3 else { return false }
            start = end + 1
        }
    }
}
