import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// Makes random version-4 UUID strings from a fast generator seeded from the system's;
/// one per event loop, so it needs no lock.
package struct RequestIDGenerator {
    private var state: (UInt64, UInt64)

    package init() {
        var system = SystemRandomNumberGenerator()
        state = (system.next() | 1, system.next())
    }

    /// xorshift128+: ids only need to be unique, not unpredictable.
    private mutating func next() -> UInt64 {
        var s1 = state.0
        let s0 = state.1
        state.0 = s0
        s1 ^= s1 << 23
        state.1 = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26)
        return state.1 &+ s0
    }

    package mutating func make() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        // Written straight into the string's storage: one allocation per id.
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            for position in 0..<32 {
                if position == 8 || position == 12 || position == 16 || position == 20 {
                    buffer[index] = UInt8(ascii: "-")
                    index += 1
                }
                let word = position < 16 ? high : low
                let nibble = Int((word >> UInt64(60 - (position % 16) * 4)) & 0xF)
                buffer[index] = nibble < 10 ? UInt8(ascii: "0") + UInt8(nibble) : UInt8(ascii: "a") + UInt8(nibble - 10)
                index += 1
            }
            return index
        }
    }
}
