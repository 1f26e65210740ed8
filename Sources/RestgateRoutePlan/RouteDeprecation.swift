/// A route the route file marks `deprecated: { since, sunset, link }`: its answers carry
/// `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and a `Link` with `rel="deprecation"`, and the
/// OpenAPI operation is `deprecated: true`.
public struct RouteDeprecation: Sendable, Codable, Equatable {
    /// Seconds since the epoch.
    public var since: Int64
    public var sunset: Int64?
    /// A page that says what to use instead.
    public var link: String?

    public init(since: Int64, sunset: Int64? = nil, link: String? = nil) {
        self.since = since
        self.sunset = sunset
        self.link = link
    }

    /// `2026-06-30` (midnight UTC) or `2026-06-30T12:00:00Z`, as seconds since the epoch.
    public static func seconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 || (bytes.count == 20 && bytes[10] == UInt8(ascii: "T") && bytes[19] == UInt8(ascii: "Z")) else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), let year = number(0..<4), let month = number(5..<7),
            let day = number(8..<10), (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds: Int64 = 0
        if bytes.count == 20 {
            guard bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), let hour = number(11..<13), let minute = number(14..<16),
                let second = number(17..<19), hour < 24, minute < 60, second < 60
            else { return nil }
            seconds = hour * 3600 + minute * 60 + second
        }
        // Days from the civil date (Howard Hinnant's algorithm), March-based years.
        let shifted = month <= 2 ? year - 1 : year
        let era = shifted / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let lengths: [Int64] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard day <= lengths[Int(month - 1)] + (month == 2 && leap ? 1 : 0) else { return nil }
        return days * 86400 + seconds
    }
}
