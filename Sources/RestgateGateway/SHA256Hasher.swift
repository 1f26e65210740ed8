import COpenSSL

/// SHA-256 from OpenSSL, fed piece by piece, so the parts of a request that make one digest
/// are never copied into one buffer first. `finish` hands back the digest and starts the next
/// one on the same context. The algorithm is fetched once: OpenSSL 3's one-shot `SHA256()`
/// fetches it on every call, which cost more than the hashing of a request.
package struct SHA256Hasher: ~Copyable {
    /// `@unchecked Sendable`: a fetched `EVP_MD` is immutable and shared by OpenSSL's design.
    private struct Algorithm: @unchecked Sendable {
        let md: OpaquePointer?
    }

    private static let algorithm = Algorithm(md: EVP_MD_fetch(nil, "SHA256", nil))
    private let context: OpaquePointer?

    package init() {
        context = EVP_MD_CTX_new()
        _ = EVP_DigestInit_ex2(context, Self.algorithm.md, nil)
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        _ = EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
    }

    package mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    package mutating func update(_ text: some StringProtocol) {
        var text = Substring(text)
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    package mutating func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { update($0) }
    }

    /// The 32 bytes of everything fed since the last `finish`.
    package mutating func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &digest, &length)
        _ = EVP_DigestInit_ex2(context, Self.algorithm.md, nil)
        return digest
    }
}
