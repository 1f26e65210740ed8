import ArgumentParser

/// The command line's options for the shared store behind `Idempotency-Key`.
struct StoreOptions: ParsableArguments {
    @Option(
        help:
            "Keep idempotency records on Redis, shared by every replica: redis://[user:password@]host:port/db. (RESTGATE_REDIS_URL, default: in this process's memory)"
    )
    var redisURL: String?

    @Option(
        help:
            "Read the Redis URL from this file instead (a mounted Secret keeps the password out of the environment); surrounding whitespace is ignored. (RESTGATE_REDIS_URL_FILE)"
    )
    var redisURLFile: String?

    @Option(help: "Seconds an answer stays replayable under its Idempotency-Key. (RESTGATE_IDEMPOTENCY_TTL, default 86400)")
    var idempotencyTtl: Double?

    @Option(help: "Most idempotency records the in-memory store keeps. (RESTGATE_IDEMPOTENCY_MAX_ENTRIES, default 100000)")
    var idempotencyMaxEntries: Int?

    @Option(help: "Most bytes the in-memory store keeps. (RESTGATE_IDEMPOTENCY_MAX_BYTES, default 67108864)")
    var idempotencyMaxBytes: Int?
}
