import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer
import RestgateStore
import RestgateTokens

/// Holds each client to its route's rate limit (the route file's `rateLimit:`, else
/// `--rate-limit`), one atomic GCRA step on the shared store per request, so replicas sharing
/// Redis share one limit. Every limited answer carries `RateLimit-Policy` and `RateLimit`
/// (IETF httpapi rate-limit headers draft); over the limit it is 429 `RATE_LIMITED` with
/// `Retry-After`, and the upstream is not called. After authentication, so the client is the
/// verified one.
struct RateLimitStage: RouteStage {
    let store: any SharedStore
    /// For routes that name no policy.
    let defaultPolicy: RateLimitPolicy?
    /// When the store cannot be reached: refuse (503) instead of letting requests pass.
    let failClosed: Bool
    let statistics: EdgeStatistics
    let onStoreFailure: @Sendable (_ error: StoreError) -> Void

    func applies(to route: CompiledRoute) -> Bool { (route.definition.rateLimit ?? defaultPolicy) != nil }

    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse {
        guard let policy = call.route.definition.rateLimit ?? defaultPolicy else { return try await next(call) }
        let decision: RateDecision
        do {
            decision = try await store.admit(
                Self.key(call: call, policy: policy), interval: policy.intervalMicroseconds, capacity: policy.burst)
        } catch {
            statistics.countStoreFailure()
            onStoreFailure(error)
            guard !failClosed else {
                throw Problem(
                    .storeUnavailable, detail: "The rate-limit store (\(store.kind)) did not answer; the request was not run.",
                    headers: [("Retry-After", "1")])
            }
            return try await next(call)
        }
        let headers = Self.headers(policy: policy, decision: decision)
        guard decision.allowed else {
            statistics.countLimited()
            let wait = decision.backlogMicroseconds + policy.intervalMicroseconds - policy.intervalMicroseconds * Int64(policy.burst)
            throw Problem(
                .rateLimited,
                detail: "Over the rate limit '\(policy.name)' of \(policy.limit) requests per \(policy.windowMilliseconds / 1000) s.",
                headers: headers + [("Retry-After", String(max(1, Self.seconds(wait))))])
        }
        return try await next(call, adding: headers)
    }

    /// The policy and the client: the policy's claim, the verified client (its subject, with its
    /// issuer unless one is pinned), the token's hash (inside the digest, never stored), or the
    /// client's address.
    static func key(call: RouteCall, policy: RateLimitPolicy) -> StoreKey {
        var hasher = SHA256Hasher()
        hasher.update(policy.name)
        hasher.update(byte: 0)
        if let path = policy.key, let claim = call.token?.claim(path) {
            hasher.update("claim:")
            hasher.update(claim.string ?? String(decoding: claim.bytes, as: UTF8.self))
        } else if let client = call.token?.client {
            hasher.update("sub:")
            hasher.update(client)
        } else if call.route.definition.authentication == .bearer,
            let token = call.request.headers["authorization"].flatMap(BearerToken.token(in:))
        {
            // Only where a token is required (and so checked); elsewhere a client could take
            // a fresh budget with every made-up header.
            hasher.update("token:")
            hasher.update(token)
        } else {
            hasher.update("address:")
            hasher.update(call.request.forwarded.clientAddress)
        }
        return StoreKey(namespace: "ratelimit", digest: hasher.finish())
    }

    /// `RateLimit-Policy: "name";q=LIMIT;w=WINDOW` and `RateLimit: "name";r=LEFT;t=SECONDS`,
    /// where `t` is when the full quota is back.
    static func headers(policy: RateLimitPolicy, decision: RateDecision) -> [(name: String, value: String)] {
        let interval = policy.intervalMicroseconds
        let left = max(0, (interval * Int64(policy.burst) - decision.backlogMicroseconds) / interval)
        let name = "\"\(policy.name)\""
        return [
            ("RateLimit-Policy", "\(name);q=\(policy.limit);w=\(max(1, policy.windowMilliseconds / 1000))"),
            ("RateLimit", "\(name);r=\(left);t=\(seconds(decision.backlogMicroseconds))"),
        ]
    }

    /// Microseconds to whole seconds, rounded up.
    static func seconds(_ microseconds: Int64) -> Int64 { max(0, (microseconds + 999_999) / 1_000_000) }
}
