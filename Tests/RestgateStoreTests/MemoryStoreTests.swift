import RestgateRuntime
import Testing

@testable import RestgateStore

/// A test key: the name's bytes in place of a digest.
private func name(_ text: String) -> StoreKey {
    StoreKey(namespace: "test", digest: Array(text.utf8))
}

@Suite struct MemoryStoreTests {
    @Test func reservesOnceAndHandsBackWhatIsThere() async throws {
        let store = MemoryStore()
        #expect(try await store.reserve(name("k"), value: [1], ttl: .seconds(10)) == .reserved)
        #expect(try await store.reserve(name("k"), value: [2], ttl: .seconds(10)) == .existing([1]))
        #expect(try await !store.replace(name("k"), expected: [9], with: [3], ttl: .seconds(10)))
        #expect(try await store.replace(name("k"), expected: [1], with: [3], ttl: .seconds(10)))
        #expect(try await store.reserve(name("k"), value: [2], ttl: .seconds(10)) == .existing([3]))
        #expect(try await !store.remove(name("k"), expected: [1]))
        #expect(try await store.remove(name("k"), expected: [3]))
        #expect(try await store.reserve(name("k"), value: [4], ttl: .seconds(10)) == .reserved)
    }

    @Test func anOverwriteNeedsALiveValueButNoComparison() async throws {
        let clock = ManualClock()
        let store = MemoryStore(clock: clock)
        #expect(try await !store.overwrite(name("k"), with: [1], ttl: .seconds(10)))
        #expect(try await store.reserve(name("k"), value: [2], ttl: .seconds(10)) == .reserved)
        #expect(try await store.overwrite(name("k"), with: [3], ttl: .seconds(1)))
        #expect(try await store.reserve(name("k"), value: [4], ttl: .seconds(10)) == .existing([3]))
        clock.advance(by: .seconds(1))  // the overwrite's TTL counts, not the reservation's
        #expect(try await !store.overwrite(name("k"), with: [5], ttl: .seconds(10)))
        #expect(store.usage.entries == 0)
    }

    @Test func entriesExpireOnTheirClock() async throws {
        let clock = ManualClock()
        let store = MemoryStore(clock: clock)
        _ = try await store.reserve(name("k"), value: [1], ttl: .seconds(2))
        clock.advance(by: .milliseconds(1999))
        #expect(try await store.reserve(name("k"), value: [2], ttl: .seconds(2)) == .existing([1]))
        clock.advance(by: .milliseconds(1))
        #expect(try await store.reserve(name("k"), value: [2], ttl: .seconds(2)) == .reserved)
    }

    @Test func theLeastRecentlyUsedGoesFirst() async throws {
        let store = MemoryStore(maxEntries: 3)
        for key in ["a", "b", "c"] { _ = try await store.reserve(name(key), value: [0], ttl: .seconds(60)) }
        _ = try await store.reserve(name("a"), value: [0], ttl: .seconds(60))  // a is used again: b is now the oldest
        _ = try await store.reserve(name("d"), value: [0], ttl: .seconds(60))
        #expect(store.usage.entries == 3)
        #expect(try await store.reserve(name("b"), value: [9], ttl: .seconds(60)) == .reserved)
        #expect(try await store.reserve(name("a"), value: [9], ttl: .seconds(60)) == .existing([0]))
    }

    @Test func theByteBoundHolds() async throws {
        let store = MemoryStore(maxEntries: 1000, maxBytes: 10_000)
        for index in 0..<100 {
            _ = try await store.reserve(name("key-\(index)"), value: [UInt8](repeating: 1, count: 1000), ttl: .seconds(60))
        }
        #expect(store.usage.bytes <= 10_000)
        #expect(store.usage.entries >= 9)
        #expect(try await store.reserve(name("key-99"), value: [], ttl: .seconds(60)) != .reserved)
    }

    @Test func stalePositionsDoNotGrowWithoutBound() async throws {
        let store = MemoryStore(maxEntries: 10)
        _ = try await store.reserve(name("hot"), value: [0], ttl: .seconds(60))
        for _ in 0..<10_000 { _ = try await store.reserve(name("hot"), value: [0], ttl: .seconds(60)) }
        #expect(store.usage.entries == 1)
    }

    @Test func keysDifferByNamespaceAndDigestAndNameThemselvesOnRedis() {
        let digest = [UInt8](0..<32)
        #expect(StoreKey(namespace: "a", digest: digest) == StoreKey(namespace: "a", digest: digest))
        #expect(StoreKey(namespace: "a", digest: digest) != StoreKey(namespace: "b", digest: digest))
        #expect(StoreKey(namespace: "a", digest: digest) != StoreKey(namespace: "a", digest: digest.reversed()))
        #expect(StoreKey(namespace: "a", digest: digest).digest == digest)
        let expected =
            "restgate:idempotency:"
            + digest.map { byte in
                let digits = Array("0123456789abcdef")
                return "\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
            }.joined()
        #expect(String(decoding: StoreKey(namespace: "idempotency", digest: digest).redisKey, as: UTF8.self) == expected)
    }

    @Test func aLargeStoreSpreadsItsKeysOverItsShards() async throws {
        // Sixteen shards of 1,000 entries each: if keys crowded some shards, their bounds would
        // evict long before the store holds 16,000 entries.
        let store = MemoryStore(maxEntries: 16_000, maxBytes: 1 << 30)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<12_000 {
            let digest = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try await store.reserve(StoreKey(namespace: "test", digest: digest), value: [0], ttl: .seconds(60))
        }
        #expect(store.usage.entries == 12_000)
    }
}
