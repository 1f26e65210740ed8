/// A named rate limit from the route file (`rateLimits:`) or `--rate-limit`: `limit` requests
/// per `window` per client, with room for `burst` at once (GCRA: one request's room comes
/// back every `window / limit`). Routes that name the same policy share one budget per client.
public struct RateLimitPolicy: Sendable, Codable, Equatable {
    public var name: String
    public var limit: Int
    public var windowMilliseconds: Int64
    public var burst: Int
    /// The claim that names the client (a dotted path); nil: the verified `sub`, else the
    /// token's hash, else the client's address.
    public var key: [String]?

    public init(name: String, limit: Int, windowMilliseconds: Int64, burst: Int? = nil, key: [String]? = nil) {
        self.name = name
        self.limit = limit
        self.windowMilliseconds = windowMilliseconds
        self.burst = burst ?? limit
        self.key = key
    }

    /// How often one request's room comes back, in microseconds: exact to a microsecond, so
    /// `600/1s` is 600 a second, not the 1,000 a whole-millisecond interval would allow.
    public var intervalMicroseconds: Int64 { max(1, windowMilliseconds * 1000 / Int64(limit)) }

    /// `600/1m` (`--rate-limit`): a limit, a slash and a window.
    public static func parse(_ text: String, name: String = "default") -> RateLimitPolicy? {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let limit = Int(parts[0]), (1...1_000_000_000).contains(limit),
            let window = windowMilliseconds(String(parts[1])), window * 1000 >= Int64(limit)
        else { return nil }
        return RateLimitPolicy(name: name, limit: limit, windowMilliseconds: window)
    }

    /// `30s`, `1m`, `1h`, `1d`, or plain seconds; from 1 s to 1 day.
    public static func windowMilliseconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        var digits = Substring(text)
        var unit: Int64 = 1000
        if let last = text.last, let factor = units[last] {
            unit = factor
            digits = digits.dropLast()
        }
        guard let count = Int64(digits), count > 0, count <= 86_400_000 / unit else { return nil }
        let window = count * unit
        return (1000...86_400_000).contains(window) ? window : nil
    }
}
