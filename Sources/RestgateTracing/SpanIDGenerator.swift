#if canImport(Glibc)
    import Glibc
#endif

/// Random trace and span ids without a system call each: xoshiro256** seeded from the
/// kernel, one generator per event loop (so no lock).
final class SpanIDGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var seed = SystemRandomNumberGenerator()
        state = (seed.next(), seed.next(), seed.next(), seed.next())
        if state == (0, 0, 0, 0) { state.0 = 1 }
    }

    /// A non-zero 64-bit value.
    func next() -> UInt64 {
        while true {
            let result = rotate(state.1 &* 5, 7) &* 9
            let shifted = state.1 << 17
            state.2 ^= state.0
            state.3 ^= state.1
            state.1 ^= state.2
            state.0 ^= state.3
            state.2 ^= shifted
            state.3 = rotate(state.3, 45)
            if result != 0 { return result }
        }
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
