import RestgateTokens
import Synchronization

/// Counters of the edge stages, kept as atomics on the request path and read at a scrape:
/// token verifications by result, requests refused by a rate limit, rate-limit store failures.
public final class EdgeStatistics: Sendable {
    /// The results a verification can have, in `tokenResults` order.
    public static let tokenResultNames = [
        "verified", "malformed", "algorithm_not_allowed", "unknown_key", "bad_signature", "missing_expiry", "expired", "not_yet_valid",
        "wrong_issuer", "wrong_audience", "keys_unavailable", "throttled",
    ]
    private let tokens = tokenResultNames.map { _ in Counter() }
    private let limited = Counter()
    private let storeFailures = Counter()

    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    public init() {}

    func countToken(_ refusal: TokenRefusal?) {
        let index =
            switch refusal {
            case nil: 0
            case .malformed: 1
            case .algorithmNotAllowed: 2
            case .unknownKey: 3
            case .badSignature: 4
            case .missingExpiry: 5
            case .expired: 6
            case .notYetValid: 7
            case .wrongIssuer: 8
            case .wrongAudience: 9
            case .keysUnavailable: 10
            }
        tokens[index].value.add(1, ordering: .relaxed)
    }

    /// A token refused unchecked, its address over `--jwt-refusal-limit`.
    func countThrottled() { tokens[11].value.add(1, ordering: .relaxed) }

    func countLimited() { limited.value.add(1, ordering: .relaxed) }
    func countStoreFailure() { storeFailures.value.add(1, ordering: .relaxed) }

    public var tokenResults: [(result: String, count: Int)] {
        zip(Self.tokenResultNames, tokens).map { ($0, $1.value.load(ordering: .relaxed)) }
    }
    public var rateLimited: Int { limited.value.load(ordering: .relaxed) }
    public var rateLimitStoreFailures: Int { storeFailures.value.load(ordering: .relaxed) }
}
