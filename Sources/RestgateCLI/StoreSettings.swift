import ArgumentParser
import Foundation
import RestgateGateway
import RestgateRedis
import RestgateStore
import RestgateUpstream

/// The idempotency store from the options and `RESTGATE_*`: Redis when a URL is given, else a
/// bounded store in memory.
struct StoreSettings {
    var redis: RedisConfiguration?
    var ttl: Duration = .seconds(86400)
    var maxEntries = 100_000
    var maxBytes = 64 << 20

    init(options: StoreOptions, environment: Environment) throws {
        let values = environment.values
        var url = options.redisURL ?? values["RESTGATE_REDIS_URL"]
        if let file = options.redisURLFile ?? values["RESTGATE_REDIS_URL_FILE"] {
            guard url == nil else { throw ValidationError("--redis-url and --redis-url-file exclude each other; give one.") }
            url = try Settings.read(file, option: "--redis-url-file").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let url {
            guard let parsed = RedisConfiguration(url: url) else {
                throw ValidationError(
                    "--redis-url must be redis://[user:password@]host[:port][/db] (rediss:// for TLS); got a value that is not.")
            }
            redis = parsed
        }
        if let text = options.idempotencyTtl.map(String.init) ?? values["RESTGATE_IDEMPOTENCY_TTL"] {
            guard let seconds = Double(text), seconds >= 1, seconds <= 30 * 86400 else {
                throw ValidationError("--idempotency-ttl must be between 1 and 2592000 seconds; got \(text).")
            }
            ttl = .milliseconds(Int64(seconds * 1000))
        }
        if let text = options.idempotencyMaxEntries.map(String.init) ?? values["RESTGATE_IDEMPOTENCY_MAX_ENTRIES"] {
            guard let number = Int(text), (1...100_000_000).contains(number) else {
                throw ValidationError("--idempotency-max-entries must be between 1 and 100000000; got \(text).")
            }
            maxEntries = number
        }
        if let text = options.idempotencyMaxBytes.map(String.init) ?? values["RESTGATE_IDEMPOTENCY_MAX_BYTES"] {
            guard let number = Int(text), (65536...(1 << 40)).contains(number) else {
                throw ValidationError("--idempotency-max-bytes must be between 65536 and 2^40; got \(text).")
            }
            maxBytes = number
        }
    }

    /// The store, and the Redis client behind it when there is one; `rediss://` trusts what
    /// the upstreams trust (`--upstream-ca-file`).
    func makeStore(tls: TLSConfiguration) throws -> (store: any SharedStore, redis: RedisClient?) {
        guard let redis else { return (MemoryStore(maxEntries: maxEntries, maxBytes: maxBytes), nil) }
        do {
            let client = try RedisClient(configuration: redis, tls: tls)
            return (RedisStore(client: client), client)
        } catch {
            throw ValidationError("--redis-url: \(error.description)")
        }
    }

    func idempotency(store: any SharedStore, upstream: UpstreamConfiguration) -> IdempotencySettings {
        IdempotencySettings(store: store, ttl: ttl, lease: upstream.requestTimeout + .seconds(15))
    }
}
