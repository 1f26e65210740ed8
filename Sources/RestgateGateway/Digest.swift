import COpenSSL

/// SHA-256, from OpenSSL: for the idempotency scope (a hash of the bearer token, never the
/// token itself) and fingerprints. The algorithm is fetched once: OpenSSL 3's one-shot
/// `SHA256()` fetches it on every call, which cost more than the hashing of a request.
package enum Digest {
    /// `@unchecked Sendable`: a fetched `EVP_MD` is immutable and shared by OpenSSL's design.
    private struct Algorithm: @unchecked Sendable {
        let md: OpaquePointer?
    }

    private static let sha256Algorithm = Algorithm(md: EVP_MD_fetch(nil, "SHA256", nil))

    package static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        guard let context = EVP_MD_CTX_new() else { return digest }
        defer { EVP_MD_CTX_free(context) }
        var length: UInt32 = 0
        bytes.withUnsafeBufferPointer { input in
            _ = EVP_DigestInit_ex2(context, sha256Algorithm.md, nil)
            _ = EVP_DigestUpdate(context, input.baseAddress, input.count)
            _ = EVP_DigestFinal_ex(context, &digest, &length)
        }
        return digest
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
