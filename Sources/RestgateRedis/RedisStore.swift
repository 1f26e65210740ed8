import COpenSSL
import RestgateRuntime
public import RestgateStore

/// The shared store on Redis. A reservation is `SET NX PX` (one round trip for a new key; a
/// `GET` follows only when the key is taken) and an overwrite `SET XX PX`; a replace or release
/// compares and writes in one Lua script, sent by its SHA-1 (`EVALSHA`, with `EVAL` when Redis
/// has not seen it yet), so both are atomic across replicas. Stored values expire by Redis's own TTL. Works with
/// Redis 6 and 7.
public final class RedisStore: SharedStore {
    public let kind = "redis"
    public let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    public var isAvailable: Bool { client.isAvailable }

    static let replaceScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end
        return 0
        """
    static let removeScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """

    /// GCRA on Redis's clock (`TIME`, in microseconds: a double holds them exactly), so
    /// replicas whose clocks differ still share one limit; the key expires when its backlog has
    /// drained. The arithmetic is `RateDecision.gcra`'s.
    static let admitScript = """
        local now = redis.call('TIME')
        now = tonumber(now[1]) * 1000000 + tonumber(now[2])
        local interval = tonumber(ARGV[1])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local nextTat = tat + interval
        if nextTat - now > interval * tonumber(ARGV[2]) then return {0, tat - now} end
        redis.call('SET', KEYS[1], string.format('%d', nextTat), 'PX', string.format('%d', math.ceil((nextTat - now) / 1000)))
        return {1, nextTat - now}
        """

    public func admit(_ key: StoreKey, interval: Int64, capacity: Int) async throws(StoreError) -> RateDecision {
        let reply = try await eval(Self.admitting, key: key, [Array(String(interval).utf8), Array(String(capacity).utf8)])
        guard case .array(let items?) = reply, items.count == 2, case .integer(let allowed) = items[0],
            case .integer(let backlog) = items[1]
        else { throw StoreError("Redis answered the rate-limit script with \(reply)") }
        return RateDecision(allowed: allowed == 1, backlogMicroseconds: backlog)
    }

    public func reserve(_ key: StoreKey, value: [UInt8], ttl: Duration) async throws(StoreError) -> StoreReservation {
        // A key released between the SET and the GET is tried once more.
        for _ in 0..<2 {
            let set = try await command(Self.set(key, value, ttl: ttl, condition: "NX"))
            if set == .simple("OK") { return .reserved }
            guard set == .bulk(nil) else { throw StoreError("Redis answered SET NX with \(set)") }
            var get = RESPCommand(arguments: 2, capacity: key.redisKeyLength)
            get.append("GET")
            get.append(key: key)
            switch try await command(get) {
            case .bulk(let existing?): return .existing(existing)
            case .bulk(nil): continue
            case let other: throw StoreError("Redis answered GET with \(other)")
            }
        }
        throw StoreError("the key came and went twice while it was reserved")
    }

    public func replace(_ key: StoreKey, expected: [UInt8], with value: [UInt8], ttl: Duration) async throws(StoreError) -> Bool {
        try await eval(Self.replacing, key: key, [expected, value, Array(String(Self.milliseconds(ttl)).utf8)]) == .integer(1)
    }

    /// `SET XX PX`: a plain command where `replace` runs a script, which costs Redis several
    /// times the CPU.
    public func overwrite(_ key: StoreKey, with value: [UInt8], ttl: Duration) async throws(StoreError) -> Bool {
        switch try await command(Self.set(key, value, ttl: ttl, condition: "XX")) {
        case .simple("OK"): return true
        case .bulk(nil): return false
        case let other: throw StoreError("Redis answered SET XX with \(other)")
        }
    }

    public func remove(_ key: StoreKey, expected: [UInt8]) async throws(StoreError) -> Bool {
        try await eval(Self.removing, key: key, [expected]) == .integer(1)
    }

    /// A script and its SHA-1 in hex, the name `EVALSHA` knows it by.
    private struct Script {
        let text: String
        let digest: [UInt8]
        init(_ text: String) {
            self.text = text
            digest = RedisStore.sha1(text)
        }
    }

    private static let replacing = Script(replaceScript)
    private static let removing = Script(removeScript)
    private static let admitting = Script(admitScript)

    private func eval(_ script: Script, key: StoreKey, _ arguments: [[UInt8]]) async throws(StoreError) -> RESPValue {
        func written(_ verb: StaticString, _ body: [UInt8]) -> RESPCommand {
            let size = body.count + key.redisKeyLength + arguments.reduce(0) { $0 + $1.count }
            var command = RESPCommand(arguments: 4 + arguments.count, capacity: size)
            command.append(verb)
            command.append(body)
            command.append("1")
            command.append(key: key)
            for argument in arguments { command.append(argument) }
            return command
        }
        do {
            return try await command(written("EVALSHA", script.digest))
        } catch let error where error.description.contains("NOSCRIPT") {
            return try await command(written("EVAL", Array(script.text.utf8)))
        }
    }

    /// `SET key value NX|XX PX ttl`.
    private static func set(_ key: StoreKey, _ value: [UInt8], ttl: Duration, condition: StaticString) -> RESPCommand {
        var command = RESPCommand(arguments: 6, capacity: key.redisKeyLength + value.count + 16)
        command.append("SET")
        command.append(key: key)
        command.append(value)
        command.append(condition)
        command.append("PX")
        command.append(decimal: milliseconds(ttl))
        return command
    }

    private func command(_ written: RESPCommand) async throws(StoreError) -> RESPValue {
        guard let loop = EventLoop.current else { throw StoreError("the Redis store is used off an event loop") }
        switch await client.send(written, on: loop) {
        case .success(.error(let message)): throw StoreError("Redis refused a command: \(message)")
        case .success(let reply): return reply
        case .failure(let error): throw error
        }
    }

    private static func sha1(_ script: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 20)
        var length = 0
        let bytes = Array(script.utf8)
        _ = bytes.withUnsafeBufferPointer { EVP_Q_digest(nil, "SHA1", nil, $0.baseAddress, $0.count, &digest, &length) }
        let digits = Array("0123456789abcdef".utf8)
        return digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}
