/// A key of the shared store: a namespace (`idempotency`, `ratelimit`) and a SHA-256 of what
/// the key stands for, so no client data (a token) is ever stored as a key, every key is the
/// same size, and the digest's own bits serve as the hash table's hash.
public struct StoreKey: Hashable, Sendable {
    public let namespace: String
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// `digest`: 32 bytes; a shorter one is padded with zeros, a longer one cut.
    public init(namespace: String, digest: some Sequence<UInt8>) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            for (index, byte) in digest.prefix(32).enumerated() { raw[index] = byte }
        }
        self.namespace = namespace
        self.words = words
    }

    /// The 32 bytes of the digest.
    public var digest: [UInt8] {
        withUnsafeBytes(of: words) { Array($0) }
    }

    /// `restgate:NAMESPACE:HEX`, the key's name on Redis.
    public var redisKey: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(redisKeyLength)
        appendRedisKey(to: &bytes)
        return bytes
    }

    /// The bytes of `redisKey`.
    public var redisKeyLength: Int { 10 + namespace.utf8.count + 64 }

    /// `redisKey`, appended to `bytes`.
    public func appendRedisKey(to bytes: inout [UInt8]) {
        bytes += "restgate:".utf8
        bytes += namespace.utf8
        bytes.append(UInt8(ascii: ":"))
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 64))
        bytes.withUnsafeMutableBufferPointer { target in
            withUnsafeBytes(of: words) { raw in
                for (index, byte) in raw.enumerated() {
                    target[start + 2 * index] = Self.hexDigit(byte >> 4)
                    target[start + 2 * index + 1] = Self.hexDigit(byte & 0xF)
                }
            }
        }
    }

    /// Bits of the digest that `hash(into:)` does not use, to spread keys over shards.
    public var shardHint: UInt64 { words.1 }

    /// Bytes the key takes in a store's bound.
    public var size: Int { 32 + namespace.utf8.count }

    public static func == (left: StoreKey, right: StoreKey) -> Bool {
        left.words == right.words && left.namespace == right.namespace
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)  // already uniformly distributed: a digest's first eight bytes
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
