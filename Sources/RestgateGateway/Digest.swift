/// One-shot SHA-256 for whole buffers: the route table's hash and tests. The request path
/// feeds a `SHA256Hasher` piece by piece instead.
package enum Digest {
    package static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finish()
    }

    package static func sha256Hex(_ bytes: [UInt8]) -> String {
        let digest = sha256(bytes)
        return String(unsafeUninitializedCapacity: digest.count * 2) { text in
            for (index, byte) in digest.enumerated() {
                text[2 * index] = hexDigit(byte >> 4)
                text[2 * index + 1] = hexDigit(byte & 0xF)
            }
            return digest.count * 2
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
