import COpenSSL
import Synchronization

/// Tokens verified before, by the SHA-256 of their text, until they expire: steady-state
/// verification is a hash and a lookup. Bounded (`capacity` in all, over 16 shards, so two
/// loops seldom wait for one lock); a full shard drops its expired entries, then an arbitrary
/// eighth. Entries carry the key-set generation they were verified under, so a new key set (a
/// key withdrawn) makes them verify again.
final class TokenCache: Sendable {
    struct Digest: Hashable, Sendable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        static func == (a: Digest, b: Digest) -> Bool { a.words == b.words }
        func hash(into hasher: inout Hasher) { hasher.combine(words.0) }
    }

    private struct Entry {
        let token: VerifiedToken
        let generation: Int
    }

    private final class Shard: Sendable {
        let entries = Mutex<[Digest: Entry]>([:])
    }

    private let shards: [Shard]
    private let shardCapacity: Int

    init(capacity: Int) {
        shardCapacity = max(1, capacity / 16)
        shards = (0..<16).map { _ in Shard() }
    }

    static func digest(_ token: Substring) -> Digest {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var text = token
        text.withUTF8 { bytes in
            withUnsafeMutableBytes(of: &words) { out in
                var length: UInt32 = 32
                _ = EVP_Digest(
                    bytes.baseAddress, bytes.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, EVP_sha256(), nil)
            }
        }
        return Digest(words: words)
    }

    func lookup(_ digest: Digest, nowSeconds: Int64, generation: Int) -> VerifiedToken? {
        shards[Int(truncatingIfNeeded: digest.words.1 & 15)].entries.withLock { entries in
            guard let entry = entries[digest] else { return nil }
            guard entry.generation == generation, entry.token.expiresAt >= nowSeconds else {
                entries[digest] = nil
                return nil
            }
            return entry.token
        }
    }

    func insert(_ token: VerifiedToken, for digest: Digest, nowSeconds: Int64, generation: Int) {
        shards[Int(truncatingIfNeeded: digest.words.1 & 15)].entries.withLock { entries in
            // Full: the expired and stale go, then an eighth of the rest, so this pass over the
            // shard comes at most once every eighth of its capacity in inserts.
            if entries.count >= shardCapacity {
                entries = entries.filter { $0.value.token.expiresAt >= nowSeconds && $0.value.generation == generation }
                if entries.count >= shardCapacity - shardCapacity / 8 {
                    for key in Array(entries.keys.prefix(max(1, shardCapacity / 8))) { entries[key] = nil }
                }
            }
            entries[digest] = Entry(token: token, generation: generation)
        }
    }
}
