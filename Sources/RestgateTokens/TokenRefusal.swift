/// Why a bearer token was not accepted, worded for the client: it goes into the 401's
/// `error_description` (RFC 6750 §3) and the problem's `detail`. Never carries the token.
public enum TokenRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case algorithmNotAllowed(String)
    case unknownKey(String?)
    case badSignature
    case missingExpiry
    case expired(atSeconds: Int64)
    case notYetValid(untilSeconds: Int64)
    case wrongIssuer
    case wrongAudience
    /// No verification key is loaded yet (the JWKS has not been fetched): not the client's
    /// fault, answered 503.
    case keysUnavailable

    public var description: String {
        switch self {
        case .malformed(let why): "the token is malformed: \(why)"
        case .algorithmNotAllowed(let why): "algorithm not allowed: \(why)"
        case .unknownKey(let kid?): "unknown key: no verification key has kid \(Self.printable(kid))"
        case .unknownKey(nil): "unknown key: the token names no kid and no key without one fits"
        case .badSignature: "bad signature: the token was not signed by the key it names"
        case .missingExpiry: "the token has no exp claim"
        case .expired(let seconds): "the token expired at \(seconds) (seconds since the epoch)"
        case .notYetValid(let seconds): "the token is not yet valid (nbf \(seconds))"
        case .wrongIssuer: "the token's issuer (iss) is not accepted"
        case .wrongAudience: "the token's audience (aud) is not accepted"
        case .keysUnavailable: "the verification keys are not loaded yet"
        }
    }

    /// A client-chosen value made safe for `error_description` (RFC 6750 §3: printable ASCII
    /// but the quote and backslash), at most 64 characters.
    static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.prefix(64).filter { $0.value >= 0x20 && $0.value <= 0x7E && $0 != "\"" && $0 != "\\" }))
    }
}
