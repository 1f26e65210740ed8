import JWTKit
import RestgateJSON
import RestgateRuntime

/// Verifies the bearer tokens of one upstream's routes: the JWS signature by a key of its
/// `KeySet` (jwt-kit's algorithms), then the claims by its `TokenPolicy`. What passed is
/// cached until it expires, so a token seen before costs a SHA-256 and a lookup.
public final class TokenVerifier: Sendable {
    public let keys: KeySet
    public let policy: TokenPolicy
    private let cache: TokenCache

    /// The algorithms a token may name; `none` never, HMAC only when a secret was given (its
    /// keys exist only then).
    static let allowed: Set<String> = Set(
        VerificationKeys.rsaAlgorithms + VerificationKeys.hmacAlgorithms + ["ES256", "ES384", "ES512", "EdDSA"])

    public init(keys: KeySet, policy: TokenPolicy, cacheCapacity: Int = 16384) {
        self.keys = keys
        self.policy = policy
        cache = TokenCache(capacity: cacheCapacity)
    }

    /// What `token` proved when it passed before and is still good (and the keys unchanged),
    /// without checking it again; nil otherwise.
    public func cached(_ token: Substring) -> VerifiedToken? {
        let now = Int64(WallClock.nanosecondsSinceEpoch() / 1_000_000_000)
        return cache.lookup(TokenCache.digest(token), nowSeconds: now, generation: keys.snapshot.generation)
    }

    public func verify(_ token: Substring) async -> Result<VerifiedToken, TokenRefusal> {
        let now = Int64(WallClock.nanosecondsSinceEpoch() / 1_000_000_000)
        let digest = TokenCache.digest(token)
        var snapshot = keys.snapshot
        if let known = cache.lookup(digest, nowSeconds: now, generation: snapshot.generation) { return .success(known) }
        guard snapshot.loaded else { return .failure(.keysUnavailable) }
        let bytes = Array(token.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed("a JWS has three parts")) }
        guard let headerBytes = Base64URLDecoding.decode(parts[0]), let header = try? JSONParser.parse(headerBytes),
            case .object = header
        else { return .failure(.malformed("its header is not a base64url JSON object")) }
        guard let algorithm = header["alg"]?.string else { return .failure(.malformed("its header names no alg")) }
        guard header["crit"] == nil else {
            return .failure(.malformed("it has critical header parameters (crit), which this gateway does not implement"))
        }
        guard Self.allowed.contains(algorithm) else {
            return .failure(
                .algorithmNotAllowed(
                    algorithm == "none"
                        ? "unsigned tokens (alg none) are never accepted" : "\(TokenRefusal.printable(algorithm)) is not supported"))
        }
        // HMAC keys come only from the secret file (a JWKS's `oct` keys are skipped).
        if VerificationKeys.hmacAlgorithms.contains(algorithm), !snapshot.keys.supports(algorithm) {
            return .failure(.algorithmNotAllowed("\(algorithm) needs a shared secret, and none is configured"))
        }
        let kid = header["kid"]?.string
        var lookup = snapshot.keys.key(kid: kid, algorithm: algorithm)
        if case .unknownKid = lookup {
            if await keys.refreshForUnknownKid() { snapshot = keys.snapshot }
            lookup = snapshot.keys.key(kid: kid, algorithm: algorithm, fallingBack: true)
        }
        let candidates: [any JWTAlgorithm]
        switch lookup {
        case .unknownKid: return .failure(.unknownKey(kid))
        case .wrongAlgorithm:
            guard let kid else { return .failure(.algorithmNotAllowed("no configured key verifies \(algorithm)")) }
            return .failure(.algorithmNotAllowed("the key \(TokenRefusal.printable(kid)) does not verify \(algorithm)"))
        case .found(let found): candidates = found
        }
        guard let signature = Base64URLDecoding.decode(parts[2]) else { return .failure(.malformed("its signature is not base64url")) }
        let signed = bytes[..<parts[1].endIndex]
        guard candidates.contains(where: { (try? $0.verify(signature, signs: signed)) == true }) else { return .failure(.badSignature) }
        guard let payloadBytes = Base64URLDecoding.decode(parts[1]), let claims = try? JSONParser.parse(payloadBytes),
            case .object = claims
        else { return .failure(.malformed("its payload is not a base64url JSON object")) }
        return check(claims, now: now).map { verified in
            cache.insert(verified, for: digest, nowSeconds: now, generation: snapshot.generation)
            return verified
        }
    }

    /// The claims against the policy: `exp` required, `nbf`, `iss`, `aud`.
    func check(_ claims: JSONValue, now: Int64) -> Result<VerifiedToken, TokenRefusal> {
        let leeway = policy.leewaySeconds
        guard claims["exp"] != nil else { return .failure(.missingExpiry) }
        guard let expiry = Self.seconds(claims["exp"]) else { return .failure(.malformed("its exp is not a NumericDate")) }
        if claims["nbf"] != nil, Self.seconds(claims["nbf"]) == nil { return .failure(.malformed("its nbf is not a NumericDate")) }
        guard expiry + leeway >= now else { return .failure(.expired(atSeconds: expiry)) }
        if let notBefore = Self.seconds(claims["nbf"]), notBefore - leeway > now { return .failure(.notYetValid(untilSeconds: notBefore)) }
        if let issuer = policy.issuer, claims["iss"]?.string != issuer { return .failure(.wrongIssuer) }
        if !policy.audiences.isEmpty {
            let audience = claims["aud"]
            let named = audience?.string.map { [$0] } ?? audience?.array?.compactMap(\.string) ?? []
            guard named.contains(where: policy.audiences.contains) else { return .failure(.wrongAudience) }
        }
        return .success(
            VerifiedToken(subject: claims["sub"]?.string, claims: claims, expiresAt: expiry + leeway, issuerPinned: policy.issuer != nil))
    }

    /// A NumericDate (RFC 7519 §2): seconds, perhaps with a fraction.
    static func seconds(_ value: JSONValue?) -> Int64? {
        guard case .number(let text) = value, let number = Double(text), number.isFinite, abs(number) < 1e15 else { return nil }
        return Int64(number.rounded(.down))
    }
}
