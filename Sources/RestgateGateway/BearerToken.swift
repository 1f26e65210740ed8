public import RestgateHTTP

extension ProblemCode {
    public static let unauthenticated = ProblemCode(
        "UNAUTHENTICATED", status: 401, title: "Authentication required",
        explanation: "The route needs 'Authorization: Bearer <JWT>' (a token from POST /auth/token), or the upstream refused the token.")
}

/// The check a route that needs a token makes before any upstream call. The gateway does not
/// verify signatures (the upstream does); it refuses what cannot be a JWT at all.
public enum BearerToken {
    public static func require(_ headers: HTTPHeaders) throws(Problem) {
        guard let value = headers["authorization"] else {
            throw Problem(
                .unauthenticated, detail: "This route needs an 'Authorization: Bearer <JWT>' header.",
                headers: [("WWW-Authenticate", #"Bearer realm="restgate""#)])
        }
        guard let token = token(in: value), isJWT(token) else {
            throw Problem(
                .unauthenticated, detail: "The Authorization header is not 'Bearer' followed by a JWT (three base64url parts).",
                headers: [("WWW-Authenticate", #"Bearer realm="restgate", error="invalid_token""#)])
        }
    }

    /// The credentials after a case-insensitive `Bearer` scheme (RFC 9110 §11.1).
    static func token(in value: String) -> Substring? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingWhitespace()
        return token.isEmpty ? nil : token
    }

    static func isJWT(_ token: Substring) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3
            && parts.allSatisfy { part in
                // A base64url part of length 4n+1 cannot be decoded.
                !part.isEmpty && part.utf8.count % 4 != 1 && part.utf8.allSatisfy { ByteClassForBase64URL.contains($0) }
            }
    }
}

private enum ByteClassForBase64URL {
    static func contains(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
