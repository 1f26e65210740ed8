import Glibc

/// The log's RFC 3339 timestamp, made again only when the second changes: within a second
/// only the milliseconds are written over.
struct CachedTimestamp {
    private var second = Int.min
    private var bytes: [UInt8] = []

    mutating func now() -> [UInt8] {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return at(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec / 1_000_000))
    }

    mutating func at(seconds: Int, milliseconds: Int) -> [UInt8] {
        if seconds != second || bytes.count != 24 {
            second = seconds
            bytes = Array(StderrLogHandler.timestamp(seconds: seconds, milliseconds: milliseconds).utf8)
        } else {
            bytes[20] = UInt8(ascii: "0") + UInt8(milliseconds / 100)
            bytes[21] = UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10)
            bytes[22] = UInt8(ascii: "0") + UInt8(milliseconds % 10)
        }
        return bytes
    }
}
