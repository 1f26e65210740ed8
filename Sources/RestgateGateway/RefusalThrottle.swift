public import RestgateRoutePlan
public import RestgateRuntime
import RestgateStore
import Synchronization

/// Bounds the signature checks that tokens which fail can cost, per client address: a token
/// that passed is cached, so a client with a good token costs a hash and a lookup, but every
/// forged or random token costs a verification (tens of microseconds for ES256 or EdDSA). Past
/// `policy` refused tokens from one address, its tokens that are not cached already are refused
/// (429) without being checked, until the budget drains (GCRA, as the rate limits).
///
/// Kept in this process's memory, not on the shared store: it defends this replica's CPU, and
/// a store round trip would cost more than what it saves. Bounded to `maxAddresses`; past
/// that, addresses whose budget has drained go first, then others, down to nine tenths.
public final class RefusalThrottle: Sendable {
    public let policy: RateLimitPolicy
    private let clock: any MonotonicClock
    /// By client address: the theoretical arrival time of its next refusal, in microseconds.
    private let arrivals = Mutex<[String: Int64]>([:])
    static let maxAddresses = 10_000

    public init(policy: RateLimitPolicy, clock: any MonotonicClock = SystemClock()) {
        self.policy = policy
        self.clock = clock
    }

    private var nowMicroseconds: Int64 { Int64(clock.now.nanoseconds / 1000) }

    /// Microseconds until `address` may have a token checked again, or nil when it may now.
    public func wait(for address: String) -> Int64? {
        let now = nowMicroseconds
        guard let tat = arrivals.withLock({ $0[address] }) else { return nil }
        let (decision, _) = RateDecision.gcra(tat: tat, now: now, interval: policy.intervalMicroseconds, capacity: policy.burst)
        return decision.allowed ? nil : max(1, decision.backlogMicroseconds - policy.intervalMicroseconds * Int64(policy.burst - 1))
    }

    /// Addresses in the table, for tests.
    var count: Int { arrivals.withLock { $0.count } }

    /// Counts a refused token against `address`.
    public func record(_ address: String) {
        let now = nowMicroseconds
        let interval = policy.intervalMicroseconds
        let capacity = policy.burst
        let key = address
        arrivals.withLock { arrivals in
            let (_, tat) = RateDecision.gcra(tat: arrivals[key], now: now, interval: interval, capacity: capacity)
            arrivals[key] = tat
            guard arrivals.count > Self.maxAddresses else { return }
            // Down to nine tenths, so that under many addresses the sweep runs once every
            // thousand new addresses, not on each refusal.
            arrivals = arrivals.filter { $0.value > now }
            let target = Self.maxAddresses * 9 / 10
            if arrivals.count > target {
                for address in arrivals.keys.prefix(arrivals.count - target) where address != key { arrivals[address] = nil }
            }
        }
    }
}
