/// String text tested eight bytes at a time (SWAR): the parser stops at a quote, a backslash,
/// a control character or a byte outside ASCII, the writer at what it escapes. Each mark has
/// the high bit of a byte set where the word may hold such a byte (exact for whether any
/// does); the scan steps past words with no mark.
enum WordScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101

    /// Marks the bytes equal to `value`.
    @inline(__always)
    static func equal(_ word: UInt64, _ value: UInt8) -> UInt64 {
        let difference = word ^ (UInt64(value) &* ones)
        return (difference &- ones) & ~difference
    }

    /// Marks the bytes below `limit` (at most 0x80).
    @inline(__always)
    static func below(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- UInt64(limit) &* ones) & ~word
    }

    /// The first index from `start` on, in steps of eight bytes, of a word that `marks` marks;
    /// past the last whole step, where the rest is left to test one byte at a time.
    @inline(__always)
    static func runEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, marks: (UInt64) -> UInt64) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        var index = start
        while index + 8 <= bytes.count, marks((raw + index).loadUnaligned(as: UInt64.self)) & (0x80 &* ones) == 0 {
            index += 8
        }
        return index
    }
}
