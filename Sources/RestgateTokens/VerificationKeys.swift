import JWTKit

/// The keys that may sign one upstream's tokens, each as one verifier per algorithm it may be
/// used with (jwt-kit's), found by `kid`. A key without a `kid` (a PEM file, the HMAC secret)
/// verifies tokens that name none, or name one no key has even after a refresh.
public struct VerificationKeys: Sendable {
    /// By kid, then by the JWS `alg` the key may verify.
    private(set) var named: [String: [String: any JWTAlgorithm]] = [:]
    private(set) var unnamed: [[String: any JWTAlgorithm]] = []

    /// Keys of a JWKS that were left out, and why (an encryption key, an unknown type).
    public internal(set) var skipped: [String] = []

    public init() {}

    /// How many keys, for logs and `/readyz`.
    public var count: Int { named.count + unnamed.count }

    mutating func add(kid: String?, algorithms: [String: any JWTAlgorithm]) {
        guard !algorithms.isEmpty else { return }
        if let kid { named[kid] = algorithms } else { unnamed.append(algorithms) }
    }

    /// Both sets: `other`'s keys win where a kid is in both.
    public func merged(with other: VerificationKeys) -> VerificationKeys {
        var result = self
        result.named.merge(other.named) { $1 }
        result.unnamed += other.unnamed
        result.skipped += other.skipped
        return result
    }

    /// Whether any key verifies `algorithm`.
    func supports(_ algorithm: String) -> Bool {
        named.values.contains { $0[algorithm] != nil } || unnamed.contains { $0[algorithm] != nil }
    }

    enum Lookup {
        /// Every key that may verify the token, most specific first; one must.
        case found([any JWTAlgorithm])
        /// No key by that kid: a refresh may bring it.
        case unknownKid
        /// Keys exist but none for this algorithm (an RSA key and `ES256`, an `RS256` JWK and `PS256`).
        case wrongAlgorithm
    }

    /// The verifiers to try for a token's `kid` and `alg`. A kid that names a key selects it
    /// alone. A kid no key has is unknown (the caller refreshes the set), unless
    /// `fallingBack`, after that refresh: then the keys without a kid are tried, as for a token
    /// that names none. A token without a kid may be signed by any key of its algorithm
    /// (RFC 7515 makes `kid` optional), the unnamed ones first.
    func key(kid: String?, algorithm: String, fallingBack: Bool = false) -> Lookup {
        if let kid, let key = named[kid] {
            return key[algorithm].map { Lookup.found([$0]) } ?? .wrongAlgorithm
        }
        let unnamedKeys = unnamed.compactMap { $0[algorithm] }
        if kid != nil {
            guard fallingBack else { return .unknownKid }
            return unnamedKeys.isEmpty ? .unknownKid : .found(unnamedKeys)
        }
        let candidates = unnamedKeys + named.keys.sorted().compactMap { named[$0]?[algorithm] }
        if !candidates.isEmpty { return .found(candidates) }
        return count == 0 ? .unknownKid : .wrongAlgorithm
    }

    /// The algorithms a key of this type may verify; never `none`, and HMAC only from the
    /// secret file, so a public key is never taken as an HMAC secret.
    static let rsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    static let hmacAlgorithms = ["HS256", "HS384", "HS512"]
}
