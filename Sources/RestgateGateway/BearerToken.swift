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
        guard let value = headers["authorization"] else { throw missing }
        guard let token = token(in: value), isJWT(token) else {
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
        let utf8 = value.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex, utf8[index] == UInt8(ascii: " ") || utf8[index] == UInt8(ascii: "\t") {
            index = utf8.index(after: index)
        }
        for letter in "bearer".utf8 {
            // ORing 0x20 folds exactly the upper-case ASCII letter onto its lower-case one.
            guard index != utf8.endIndex, utf8[index] | 0x20 == letter else { return nil }
            index = utf8.index(after: index)
        }
        guard index != utf8.endIndex, utf8[index] == UInt8(ascii: " ") else { return nil }
        let token = value[index...].trimmingWhitespace()
        return token.isEmpty ? nil : token
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
