import Testing

@testable import RestgateHTTP

/// Header values are checked eight bytes at a time: for every byte value at every offset of
/// a word, the scan must agree with the byte-by-byte rule it speeds up.
@Suite struct FieldContentScanTests {
    @Test func theWordScanAgreesWithTheByteRuleForEveryByteAtEveryOffset() {
        for length in [1, 7, 8, 9, 16, 23, 40] {
            for position in 0..<length {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = UInt8(value)
                    if position + 1 < length { bytes[position + 1] = 0x80 }
                    let expected = bytes.allSatisfy(ByteClass.isFieldContent)
                    let scanned = bytes.withUnsafeBufferPointer { HTTPHeaders.isFieldContent($0, from: 0, to: length) }
                    #expect(scanned == expected, "byte \(value) at \(position) of \(length)")
                }
            }
        }
    }
}
