#if canImport(Glibc)
    import Glibc
#endif

/// The calendar time, for timestamps that leave the process (span start and end times);
/// durations are measured on a `MonotonicClock`.
public enum WallClock {
    public static func nanosecondsSinceEpoch() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
