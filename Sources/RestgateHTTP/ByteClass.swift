/// Character classes of RFC 9110 §5.6, as a 256-entry table so a check is one load.
package enum ByteClass {
    package static let carriageReturn: UInt8 = 13
    package static let lineFeed: UInt8 = 10
    package static let space: UInt8 = 32
    package static let tab: UInt8 = 9
    package static let colon: UInt8 = 58

    private static let tokenTable: [Bool] = (0..<256).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(UInt8(value))
        }
    }

    @inline(__always)
    package static func isToken(_ byte: UInt8) -> Bool { tokenTable[Int(byte)] }

    /// Whether every byte is a token character, the table taken once rather than per byte.
    package static func isToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        tokenTable.withUnsafeBufferPointer { table in bytes.allSatisfy { table[Int($0)] } }
    }

    /// The index of the first byte from `start` (before `end`) that is not a token character,
    /// else `end`; the table taken once rather than per byte.
    package static func tokenRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        tokenTable.withUnsafeBufferPointer { table in
            var index = start
            while index < end, table[Int(bytes[index])] { index += 1 }
            return index
        }
    }

    /// field-vchar, SP or HTAB (RFC 9110 §5.5): what a field value may contain.
    @inline(__always)
    package static func isFieldContent(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= space && byte != 0x7F)
    }

    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    @inline(__always)
    package static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Whether `text` equals `other` ignoring ASCII case, without lowercasing copies (field
    /// names, schemes, tokens: everything HTTP compares case-insensitively is ASCII).
    package static func equalIgnoringCase(_ text: String, _ other: String) -> Bool {
        text.utf8.count == other.utf8.count && hasPrefixIgnoringCase(text, other)
    }

    /// Whether `text` starts with `prefix`, ignoring ASCII case. Over both UTF-8 buffers: the
    /// views' iterators cost about 20 instructions a byte, and header names are compared so
    /// dozens of times a request.
    package static func hasPrefixIgnoringCase(_ text: String, _ prefix: String) -> Bool {
        text.withUTF8Bytes { bytes in
            prefix.withUTF8Bytes { expected in
                bytes.count >= expected.count && equalIgnoringCase(UnsafeBufferPointer(rebasing: bytes[..<expected.count]), expected)
            }
        }
    }

    /// Whether two byte runs are equal ignoring ASCII case: what every case-insensitive
    /// compare above and in `HTTPHeaders` comes down to.
    package static func equalIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == other.count else { return false }
        for index in 0..<bytes.count where lowercased(bytes[index]) != lowercased(other[index]) { return false }
        return true
    }
}
