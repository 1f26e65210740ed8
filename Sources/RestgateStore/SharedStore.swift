/// The few atomic operations that state shared between requests needs (idempotency records,
/// rate-limit windows): in this process (`MemoryStore`) or on Redis, so that replicas share
/// it. Values are opaque bytes; every write carries its time to live.
public protocol SharedStore: Sendable {
    /// `memory` or `redis`, for logs, metrics and `/readyz`.
    var kind: String { get }

    /// Stores `value` under `key` unless the key holds a live value, atomically; returns that
    /// value when there is one.
    func reserve(_ key: StoreKey, value: [UInt8], ttl: Duration) async throws(StoreError) -> StoreReservation

    /// Replaces the value under `key` with `value` only while it is still `expected`.
    func replace(_ key: StoreKey, expected: [UInt8], with value: [UInt8], ttl: Duration) async throws(StoreError) -> Bool

    /// Replaces the value under `key` while the key holds a live one, whatever it is; false
    /// when it holds none. For a request's own reservation, which no other request writes
    /// while it lives: `replace` without the comparison (on Redis `SET XX`, where `replace`
    /// takes a script).
    func overwrite(_ key: StoreKey, with value: [UInt8], ttl: Duration) async throws(StoreError) -> Bool

    /// Removes the value under `key` only while it is still `expected`.
    func remove(_ key: StoreKey, expected: [UInt8]) async throws(StoreError) -> Bool

    /// One request under a rate limit, counted atomically (GCRA): `interval` microseconds of
    /// room per request, `capacity` requests at once. The key's state expires once its
    /// backlog has drained.
    func admit(_ key: StoreKey, interval: Int64, capacity: Int) async throws(StoreError) -> RateDecision

    /// Whether the store answered its last command (Redis may be down; memory never is).
    var isAvailable: Bool { get }
}
