import ArgumentParser

/// The command line's options for token verification, rate limits and the circuit breaker.
struct EdgeOptions: ParsableArguments {
    @Option(
        help:
            "Verify tokens of upstream NAME's routes against a JWKS: NAME=https://… (trusting --upstream-ca-file) or NAME=file:/path, refreshed by its max-age. Repeatable. (RESTGATE_JWT_JWKS_<NAME>)"
    )
    var jwtJwks: [String] = []

    @Option(
        help:
            "Verify tokens of upstream NAME's routes with a key file: NAME=FILE, a PEM public key or a JWKS. Repeatable. (RESTGATE_JWT_KEY_<NAME>)"
    )
    var jwtKey: [String] = []

    @Option(
        help:
            "Accept HS256/384/512 tokens for upstream NAME, signed with the secret in FILE: NAME=FILE. (RESTGATE_JWT_HMAC_SECRET_FILE_<NAME>)"
    )
    var jwtHmacSecretFile: [String] = []

    @Option(help: "The issuer (iss) upstream NAME's tokens must name: NAME=ISS. (RESTGATE_JWT_ISSUER_<NAME>)")
    var jwtIssuer: [String] = []

    @Option(
        help:
            "An audience (aud) upstream NAME's tokens may name: NAME=AUD; repeatable, any one will do. (RESTGATE_JWT_AUDIENCE_<NAME>, comma-separated)"
    )
    var jwtAudience: [String] = []

    @Option(help: "Seconds of clock skew allowed on exp and nbf. (RESTGATE_JWT_LEEWAY, default 30)")
    var jwtLeeway: Int?

    @Option(
        help:
            "Refused tokens per client address, LIMIT/WINDOW, past which its tokens not seen before are refused (429) unchecked for a while; off for no bound. (RESTGATE_JWT_REFUSAL_LIMIT, default 30/1m)"
    )
    var jwtRefusalLimit: String?

    @Option(help: "A per-client limit for every route that names none in the route file: LIMIT/WINDOW, e.g. 600/1m. (RESTGATE_RATE_LIMIT)")
    var rateLimit: String?

    @Flag(
        help:
            "Refuse requests (503) instead of letting them pass when the rate-limit store cannot be reached. (RESTGATE_RATE_LIMIT_FAIL_CLOSED)"
    )
    var rateLimitFailClosed = false

    @Option(
        help:
            "Consecutive upstream failures (transport or 5xx) that open its circuit breaker; 0 turns it off. (RESTGATE_BREAKER_FAILURES, default 5)"
    )
    var breakerFailures: Int?

    @Option(help: "Seconds an open breaker refuses calls before one probe goes through. (RESTGATE_BREAKER_OPEN_SECONDS, default 10)")
    var breakerOpenSeconds: Double?

    @Option(help: "Failure ratio over a window (of at least 20 calls) that also opens it. (RESTGATE_BREAKER_FAILURE_RATIO, default 0.5)")
    var breakerFailureRatio: Double?

    @Option(help: "Seconds of that window. (RESTGATE_BREAKER_WINDOW_SECONDS, default 30)")
    var breakerWindowSeconds: Double?
}
