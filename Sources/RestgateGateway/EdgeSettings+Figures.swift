public import RestgateMetrics
import RestgateTokens

extension EdgeSettings {
    /// What `/metrics` shows of the edge stages: verifications by result, key-set refresh
    /// failures and key counts, rate-limit refusals and store failures, breaker states.
    public var figures: [ScrapeFigure] {
        var figures: [ScrapeFigure] = []
        if !verifiers.isEmpty {
            for (result, count) in statistics.tokenResults {
                figures.append(
                    ScrapeFigure(
                        .counter, "restgate_token_verifications", help: "Bearer tokens verified at the edge, by result.",
                        labels: [("result", result)], value: count))
            }
        }
        for (name, verifier) in verifiers.sorted(by: { $0.key < $1.key }) {
            let status = verifier.keys.status
            figures.append(
                ScrapeFigure(
                    .counter, "restgate_jwks_refresh_failures", help: "JWKS fetches that failed (the last good key set is kept).",
                    labels: [("upstream", name)], value: status.failures))
            figures.append(
                ScrapeFigure(
                    .gauge, "restgate_token_keys", help: "Verification keys loaded for an upstream's tokens.", labels: [("upstream", name)],
                    value: status.keys))
        }
        if rateLimitStore != nil {
            figures.append(
                ScrapeFigure(
                    .counter, "restgate_rate_limited", help: "Requests refused with 429 RATE_LIMITED.", value: statistics.rateLimited))
            figures.append(
                ScrapeFigure(
                    .counter, "restgate_rate_limit_store_failures",
                    help: "Rate-limit checks the store could not answer (passed, or 503 when fail-closed).",
                    value: statistics.rateLimitStoreFailures))
        }
        for (name, breaker) in breakers.sorted(by: { $0.key < $1.key }) {
            figures.append(
                ScrapeFigure(
                    .gauge, "restgate_circuit_breaker_state", help: "An upstream's circuit breaker: 0 closed, 1 open, 2 half-open.",
                    labels: [("upstream", name)], value: breaker.phase.rawValue))
            figures.append(
                ScrapeFigure(
                    .counter, "restgate_circuit_breaker_opened", help: "Times an upstream's circuit breaker opened.",
                    labels: [("upstream", name)], value: breaker.timesOpened))
        }
        return figures
    }
}
