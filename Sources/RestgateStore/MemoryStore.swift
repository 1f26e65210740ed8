import DequeModule
public import RestgateRuntime
import Synchronization

/// The shared store of one process: bounded by entries and bytes, least recently used out
/// first, expired entries dropped when met and swept as the oldest are checked. A large store
/// is split into 16 shards by key, each with its own lock and its share of the bounds, so the
/// event loops seldom wait for each other.
public final class MemoryStore: SharedStore {
    public let kind = "memory"
    public let maxEntries: Int
    public let maxBytes: Int
    private let clock: any MonotonicClock
    private let shards: [Shard]

    private final class Shard: Sendable {
        let state = Mutex(State())
        let maxEntries: Int
        let maxBytes: Int
        init(maxEntries: Int, maxBytes: Int) {
            self.maxEntries = maxEntries
            self.maxBytes = maxBytes
        }
    }

    private struct Entry {
        var value: [UInt8]
        var expires: Instant
        var generation: UInt64
        var bytes: Int
    }

    private struct State {
        var entries: [StoreKey: Entry] = [:]
        /// Keys in the order they were last used; a key appears again each time it is used
        /// and only its newest appearance (its generation) counts.
        var order: Deque<(key: StoreKey, generation: UInt64)> = []
        var bytes = 0
        var generation: UInt64 = 0
    }

    public init(maxEntries: Int = 100_000, maxBytes: Int = 64 << 20, clock: any MonotonicClock = SystemClock()) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        self.clock = clock
        let count = maxEntries >= 4096 ? 16 : 1
        shards = (0..<count).map { _ in Shard(maxEntries: max(1, maxEntries / count), maxBytes: max(1, maxBytes / count)) }
    }

    public var isAvailable: Bool { true }

    /// Live entries and their bytes (keys and values), for tests and metrics.
    public var usage: (entries: Int, bytes: Int) {
        shards.reduce((0, 0)) { sum, shard in shard.state.withLock { (sum.0 + $0.entries.count, sum.1 + $0.bytes) } }
    }

    /// By another word of the digest than the tables hash by: keys that share a shard must not
    /// share their low hash bits too, or they would crowd a sixteenth of its buckets.
    private func shard(_ key: StoreKey) -> Shard {
        shards.count == 1 ? shards[0] : shards[Int(key.shardHint % UInt64(shards.count))]
    }

    public func reserve(_ key: StoreKey, value: [UInt8], ttl: Duration) async throws(StoreError) -> StoreReservation {
        let now = clock.now
        let shard = shard(key)
        return shard.state.withLock { state in
            if let entry = live(&state, key, now) {
                touch(&state, key)
                return .existing(entry.value)
            }
            put(&state, key, value, expires: now + ttl, shard: shard)
            return .reserved
        }
    }

    public func replace(_ key: StoreKey, expected: [UInt8], with value: [UInt8], ttl: Duration) async throws(StoreError) -> Bool {
        let now = clock.now
        let shard = shard(key)
        return shard.state.withLock { state in
            guard let entry = live(&state, key, now), entry.value == expected else { return false }
            put(&state, key, value, expires: now + ttl, shard: shard)
            return true
        }
    }

    public func remove(_ key: StoreKey, expected: [UInt8]) async throws(StoreError) -> Bool {
        let now = clock.now
        return shard(key).state.withLock { state in
            guard let entry = live(&state, key, now), entry.value == expected else { return false }
            drop(&state, key)
            return true
        }
    }

    /// The theoretical arrival time is kept as 8 bytes, in microseconds on the monotonic clock.
    public func admit(_ key: StoreKey, interval: Int64, capacity: Int) async throws(StoreError) -> RateDecision {
        let now = clock.now
        let microseconds = Int64(now.nanoseconds / 1000)
        let shard = shard(key)
        return shard.state.withLock { state in
            let tat = live(&state, key, now).flatMap { entry -> Int64? in
                guard entry.value.count == 8 else { return nil }
                return entry.value.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
            }
            let (decision, next) = RateDecision.gcra(tat: tat, now: microseconds, interval: interval, capacity: capacity)
            if decision.allowed {
                let bytes = withUnsafeBytes(of: next) { Array($0) }
                put(&state, key, bytes, expires: now + .microseconds(max(1, next - microseconds)), shard: shard)
            }
            return decision
        }
    }

    private func live(_ state: inout State, _ key: StoreKey, _ now: Instant) -> Entry? {
        guard let entry = state.entries[key] else { return nil }
        guard entry.expires > now else {
            drop(&state, key)
            return nil
        }
        return entry
    }

    private func put(_ state: inout State, _ key: StoreKey, _ value: [UInt8], expires: Instant, shard: Shard) {
        state.generation += 1
        let bytes = key.size + value.count
        let entry = Entry(value: value, expires: expires, generation: state.generation, bytes: bytes)
        if let replaced = state.entries.updateValue(entry, forKey: key) { state.bytes -= replaced.bytes }
        state.order.append((key, state.generation))
        state.bytes += bytes
        evict(&state, shard: shard)
    }

    private func touch(_ state: inout State, _ key: StoreKey) {
        state.generation += 1
        state.entries[key]?.generation = state.generation
        state.order.append((key, state.generation))
        // Stale appearances are dropped from the front as eviction meets them; compact when
        // they outnumber the live ones, so the queue stays proportional to the entries.
        if state.order.count > 2 * state.entries.count + 64 {
            state.order = Deque(state.order.filter { state.entries[$0.key]?.generation == $0.generation })
        }
    }

    private func drop(_ state: inout State, _ key: StoreKey) {
        guard let entry = state.entries.removeValue(forKey: key) else { return }
        state.bytes -= entry.bytes
    }

    /// Least recently used first, until both bounds hold; the newest entry always stays.
    private func evict(_ state: inout State, shard: Shard) {
        let now = clock.now
        while state.entries.count > shard.maxEntries || state.bytes > shard.maxBytes, state.entries.count > 1,
            let oldest = state.order.popFirst()
        {
            guard let entry = state.entries[oldest.key], entry.generation == oldest.generation else { continue }
            drop(&state, oldest.key)
        }
        // Expired entries at the front go too, a few per write.
        var checked = 0
        while checked < 8, let oldest = state.order.first {
            checked += 1
            guard let entry = state.entries[oldest.key], entry.generation == oldest.generation else {
                state.order.removeFirst()
                continue
            }
            guard entry.expires <= now else { break }
            state.order.removeFirst()
            drop(&state, oldest.key)
        }
    }
}
