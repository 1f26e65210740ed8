import RestgateRuntime
public import RestgateStore

/// The shared store on Redis: each operation is one Lua script, so a reservation (look, then
/// set with its TTL) and a completion (compare, then replace) are atomic across replicas.
/// Stored values expire by Redis's own TTL.
public final class RedisStore: SharedStore {
    public let kind = "redis"
    public let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    public var isAvailable: Bool { client.isAvailable }

    static let reserveScript = """
        local v = redis.call('GET', KEYS[1])
        if v then return {1, v} end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return {0}
        """
    static let replaceScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end
        return 0
        """
    static let removeScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """

    public func reserve(_ key: String, value: [UInt8], ttl: Duration) async throws(StoreError) -> StoreReservation {
        switch try await eval(Self.reserveScript, key: key, [value, Self.milliseconds(ttl)]) {
        case .array(let items?) where items.first == .integer(0): return .reserved
        case .array(let items?) where items.count == 2 && items[0] == .integer(1):
            guard case .bulk(let existing?) = items[1] else { throw StoreError("Redis answered a reservation oddly") }
            return .existing(existing)
        default: throw StoreError("Redis answered a reservation oddly")
        }
    }

    public func replace(_ key: String, expected: [UInt8], with value: [UInt8], ttl: Duration) async throws(StoreError) -> Bool {
        try await eval(Self.replaceScript, key: key, [expected, value, Self.milliseconds(ttl)]) == .integer(1)
    }

    public func remove(_ key: String, expected: [UInt8]) async throws(StoreError) -> Bool {
        try await eval(Self.removeScript, key: key, [expected]) == .integer(1)
    }

    private func eval(_ script: String, key: String, _ arguments: [[UInt8]]) async throws(StoreError) -> RESPValue {
        guard let loop = EventLoop.current else { throw StoreError("the Redis store is used off an event loop") }
        let command = [Array("EVAL".utf8), Array(script.utf8), Array("1".utf8), Array(key.utf8)] + arguments
        switch await client.send(command, on: loop) {
        case .success(.error(let message)): throw StoreError("Redis refused a command: \(message)")
        case .success(let reply): return reply
        case .failure(let error): throw error
        }
    }

    private static func milliseconds(_ duration: Duration) -> [UInt8] {
        let (seconds, attoseconds) = duration.components
        return Array(String(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)).utf8)
    }
}
