import RestgateRuntime
public import RestgateStore

/// Pings Redis every `interval` from a loop of its own, so that the client's `isAvailable`
/// (and with it `/readyz`) follows Redis while no request sends a command: down from the
/// start, or back after an outage on a gateway that has no keyed traffic. A failed ping counts
/// as a store error, as a failed request's command does.
public final class RedisHealthCheck: Sendable {
    private let client: RedisClient
    private let interval: Duration
    private let loop: EventLoop
    private static let ping = RESPCommand([Array("PING".utf8)])

    public init(client: RedisClient, interval: Duration) throws(StoreError) {
        self.client = client
        self.interval = interval
        do {
            loop = try EventLoop.startDedicated(name: "restgate-redis")
        } catch {
            throw StoreError("cannot start the Redis health check: \(error)")
        }
    }

    public func start() {
        loop.execute { [self] in ping() }
    }

    private func ping() {
        let loop = self.loop
        Task(executorPreference: loop) { [client] in
            _ = await client.send(Self.ping, on: loop)
        }
        loop.schedule(after: interval) { [self] in ping() }
    }
}
