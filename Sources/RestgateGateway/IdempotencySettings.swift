public import RestgateStore

/// The idempotency stage's store and times.
public struct IdempotencySettings: Sendable {
    public var store: any SharedStore
    /// How long an answer stays replayable.
    public var ttl: Duration
    /// How long a reservation counts as a request still running.
    public var lease: Duration

    public init(store: any SharedStore, ttl: Duration = .seconds(86400), lease: Duration = .seconds(30)) {
        self.store = store
        self.ttl = ttl
        self.lease = lease
    }
}
