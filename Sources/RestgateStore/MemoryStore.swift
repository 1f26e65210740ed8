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
        let table = Mutex(RecencyTable())
        let maxEntries: Int
        let maxBytes: Int
        init(maxEntries: Int, maxBytes: Int) {
            self.maxEntries = maxEntries
            self.maxBytes = maxBytes
        }
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
        shards.reduce((0, 0)) { sum, shard in shard.table.withLock { (sum.0 + $0.count, sum.1 + $0.bytes) } }
    }

    /// By another word of the digest than the tables hash by: keys that share a shard must not
    /// share their low hash bits too, or they would crowd a sixteenth of its buckets.
    private func shard(_ key: StoreKey) -> Shard {
        shards.count == 1 ? shards[0] : shards[Int(key.shardHint % UInt64(shards.count))]
    }

    public func reserve(_ key: StoreKey, value: [UInt8], ttl: Duration) async throws(StoreError) -> StoreReservation {
        let now = clock.now
        let shard = shard(key)
        return shard.table.withLock { table in
            if let slot = table.live(key, now: now) { return .existing(table.slots[Int(slot)].value) }
            table.insert(key, value: value, expires: now + ttl)
            table.evict(maxEntries: shard.maxEntries, maxBytes: shard.maxBytes, now: now)
            return .reserved
        }
    }

    public func replace(_ key: StoreKey, expected: [UInt8], with value: [UInt8], ttl: Duration) async throws(StoreError) -> Bool {
        let now = clock.now
        let shard = shard(key)
        return shard.table.withLock { table in
            guard let slot = table.live(key, now: now), table.slots[Int(slot)].value == expected else { return false }
            table.update(slot, value: value, expires: now + ttl)
            table.evict(maxEntries: shard.maxEntries, maxBytes: shard.maxBytes, now: now)
            return true
        }
    }

    public func overwrite(_ key: StoreKey, with value: [UInt8], ttl: Duration) async throws(StoreError) -> Bool {
        let now = clock.now
        let shard = shard(key)
        return shard.table.withLock { table in
            guard let slot = table.live(key, now: now) else { return false }
            table.update(slot, value: value, expires: now + ttl)
            table.evict(maxEntries: shard.maxEntries, maxBytes: shard.maxBytes, now: now)
            return true
        }
    }

    public func remove(_ key: StoreKey, expected: [UInt8]) async throws(StoreError) -> Bool {
        let now = clock.now
        return shard(key).table.withLock { table in
            guard let slot = table.live(key, now: now), table.slots[Int(slot)].value == expected else { return false }
            table.remove(slot)
            return true
        }
    }

    /// The theoretical arrival time is kept as 8 bytes, in microseconds on the monotonic clock.
    public func admit(_ key: StoreKey, interval: Int64, capacity: Int) async throws(StoreError) -> RateDecision {
        let now = clock.now
        let microseconds = Int64(now.nanoseconds / 1000)
        let shard = shard(key)
        return shard.table.withLock { table in
            let slot = table.live(key, now: now)
            let tat = slot.flatMap { slot -> Int64? in
                let value = table.slots[Int(slot)].value
                guard value.count == 8 else { return nil }
                return value.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
            }
            let (decision, next) = RateDecision.gcra(tat: tat, now: microseconds, interval: interval, capacity: capacity)
            if decision.allowed {
                let bytes = withUnsafeBytes(of: next) { Array($0) }
                let expires = now + .microseconds(max(1, next - microseconds))
                if let slot {
                    table.update(slot, value: bytes, expires: expires)
                } else {
                    table.insert(key, value: bytes, expires: expires)
                }
                table.evict(maxEntries: shard.maxEntries, maxBytes: shard.maxBytes, now: now)
            }
            return decision
        }
    }
}
