import JWTKit

/// The keys that may sign one upstream's tokens, each as one verifier per algorithm it may be
/// used with (jwt-kit's), found by `kid`. A key without a `kid` (a PEM file, the HMAC secret)
/// verifies tokens that name none, or name one no key has.
public struct VerificationKeys: Sendable {
    /// By kid, then by the JWS `alg` the key may verify.
    private(set) var named: [String: [String: any JWTAlgorithm]] = [:]
    private(set) var unnamed: [[String: any JWTAlgorithm]] = []

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
        return result
    }

    /// Whether any key verifies `algorithm`.
    func supports(_ algorithm: String) -> Bool {
        named.values.contains { $0[algorithm] != nil } || unnamed.contains { $0[algorithm] != nil }
    }

    enum Lookup {
        case found(any JWTAlgorithm)
        /// No key by that kid (and no unnamed key): a refresh may bring it.
        case unknownKid
        /// A key exists but not for this algorithm (an RSA key and `ES256`, an `RS256` JWK and `PS256`).
        case wrongAlgorithm
    }

    /// The verifier for a token's `kid` and `alg`.
    func key(kid: String?, algorithm: String) -> Lookup {
        if let kid, let key = named[kid] {
            return key[algorithm].map(Lookup.found) ?? .wrongAlgorithm
        }
        if let key = unnamed.lazy.compactMap({ $0[algorithm] }).first { return .found(key) }
        // A kid no key has may be a key the next JWKS brings; no kid and keys that do not
        // take this algorithm is the algorithm's fault.
        return kid == nil && !unnamed.isEmpty ? .wrongAlgorithm : .unknownKid
    }

    /// The algorithms a key of this type may verify; never `none`, and HMAC only from the
    /// secret file, so a public key is never taken as an HMAC secret.
    static let rsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    static let hmacAlgorithms = ["HS256", "HS384", "HS512"]
}
