public import RestgateRoutePlan
public import RestgateStore
public import RestgateTokens

/// The edge stages' configuration: token verification per upstream, rate limits on the
/// shared store, a circuit breaker per upstream. Empty means each stage passes requests on.
public struct EdgeSettings: Sendable {
    /// By upstream name; routes of an upstream without one are not verified here.
    public var verifiers: [String: TokenVerifier] = [:]
    public var rateLimitStore: (any SharedStore)?
    /// `--rate-limit`: for every route that names no policy.
    public var defaultRateLimit: RateLimitPolicy?
    public var rateLimitFailClosed = false
    public var onRateLimitStoreFailure: @Sendable (_ error: StoreError) -> Void = { _ in }
    /// `--jwt-refusal-limit`: refused tokens per client address before its new ones go
    /// unchecked for a while; nil: no bound.
    public var refusalThrottle: RefusalThrottle?
    /// By upstream name.
    public var breakers: [String: CircuitBreaker] = [:]
    public let statistics = EdgeStatistics()

    public init() {}
}
