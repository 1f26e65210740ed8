import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

enum ByteClassForBase64URL {
    /// `contains` for every byte value, so that a check in a loop over a token is one load.
    static let table: [Bool] = (0..<256).map { contains(UInt8($0)) }

    /// Whether all `count` bytes from `start` are base64url: eight at a time (a lane's high
    /// bit is set by adding `0x80 - low` when the byte is at least `low`, and by adding
    /// `0x7F - high` when it is above `high`; bytes below 0x80 never carry into the next lane),
    /// then through the table. A token is checked on every request.
    static func all(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func within(_ word: UInt64, _ low: UInt64, _ high: UInt64) -> UInt64 {
            (word &+ (0x80 - low) &* ones) & ~(word &+ (0x7F - high) &* ones)
        }
        var index = 0
        let raw = UnsafeRawPointer(start)
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            guard word & highs == 0 else { return false }
            // Setting bit 5 folds exactly the upper-case letters onto the lower-case ones.
            let valid =
                within(word | (0x20 &* ones), 0x61, 0x7A) | within(word, 0x30, 0x39) | within(word, 0x2D, 0x2D)
                | within(word, 0x5F, 0x5F)
            guard valid & highs == highs else { return false }
            index += 8
        }
        return table.withUnsafeBufferPointer { table in
            while index < count {
                guard table[Int(start[index])] else { return false }
                index += 1
            }
            return true
        }
    }

    static func contains(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
