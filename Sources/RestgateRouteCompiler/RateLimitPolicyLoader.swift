import RestgateRoutePlan
import Yams

/// `rateLimits:`, the route file's named policies: `NAME: { limit, window, burst, key }`.
enum RateLimitPolicyLoader {
    static func load(_ node: Node?) throws(RouteFileError) -> [String: RateLimitPolicy] {
        guard let node else { return [:] }
        let line = node.mark?.line ?? 0
        guard let mapping = node.mapping else { throw RouteFileError(line: line, route: nil, message: "rateLimits must be a mapping") }
        var policies: [String: RateLimitPolicy] = [:]
        for (key, value) in mapping {
            let line = key.mark?.line ?? line
            // The name is quoted in RateLimit-Policy: letters, digits, '-', '_' and '.' need no escape.
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".utf8)
            guard let name = key.string, !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy(allowed.contains), name != "default"
            else {
                throw RouteFileError(
                    line: line, route: nil,
                    message: "a rate limit's name is letters, digits, '-', '_' and '.', and not 'default' (the --rate-limit policy)")
            }
            func fail(_ message: String) -> RouteFileError {
                RouteFileError(line: line, route: nil, message: "rate limit \(name): \(message)")
            }
            for (member, _) in value.mapping ?? [:] where !["limit", "window", "burst", "key"].contains(member.string ?? "") {
                throw fail("unknown key '\(member.string ?? "?")' (limit, window, burst, key)")
            }
            guard let limit = value["limit"]?.int, (1...1_000_000_000).contains(limit) else {
                throw fail("'limit' must be a whole number of requests, at least 1")
            }
            guard let windowText = value["window"]?.string, let window = RateLimitPolicy.windowMilliseconds(windowText),
                window * 1000 >= Int64(limit)
            else {
                throw fail("'window' must be a duration from 1s to 1d, such as 30s, 1m, 1h or a number of seconds")
            }
            var burst: Int?
            if let burstNode = value["burst"] {
                guard let number = burstNode.int, (1...1_000_000_000).contains(number) else { throw fail("'burst' must be at least 1") }
                burst = number
            }
            var key: [String]?
            if let keyNode = value["key"] {
                guard let path = keyNode.string.flatMap(RouteFileLoader.claimPath) else {
                    throw fail("'key' must be a claim, as a dotted path such as sub or erp.customer")
                }
                key = path
            }
            policies[name] = RateLimitPolicy(name: name, limit: limit, windowMilliseconds: window, burst: burst, key: key)
        }
        return policies
    }
}
