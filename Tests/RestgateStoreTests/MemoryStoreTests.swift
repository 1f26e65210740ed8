import RestgateRuntime
import Testing

@testable import RestgateStore

@Suite struct MemoryStoreTests {
    @Test func reservesOnceAndHandsBackWhatIsThere() async throws {
        let store = MemoryStore()
        #expect(try await store.reserve("k", value: [1], ttl: .seconds(10)) == .reserved)
        #expect(try await store.reserve("k", value: [2], ttl: .seconds(10)) == .existing([1]))
        #expect(try await !store.replace("k", expected: [9], with: [3], ttl: .seconds(10)))
        #expect(try await store.replace("k", expected: [1], with: [3], ttl: .seconds(10)))
        #expect(try await store.reserve("k", value: [2], ttl: .seconds(10)) == .existing([3]))
        #expect(try await !store.remove("k", expected: [1]))
        #expect(try await store.remove("k", expected: [3]))
        #expect(try await store.reserve("k", value: [4], ttl: .seconds(10)) == .reserved)
    }

    @Test func entriesExpireOnTheirClock() async throws {
        let clock = ManualClock()
        let store = MemoryStore(clock: clock)
        _ = try await store.reserve("k", value: [1], ttl: .seconds(2))
        clock.advance(by: .milliseconds(1999))
        #expect(try await store.reserve("k", value: [2], ttl: .seconds(2)) == .existing([1]))
        clock.advance(by: .milliseconds(1))
        #expect(try await store.reserve("k", value: [2], ttl: .seconds(2)) == .reserved)
    }

    @Test func theLeastRecentlyUsedGoesFirst() async throws {
        let store = MemoryStore(maxEntries: 3)
        for key in ["a", "b", "c"] { _ = try await store.reserve(key, value: [0], ttl: .seconds(60)) }
        _ = try await store.reserve("a", value: [0], ttl: .seconds(60))  // a is used again: b is now the oldest
        _ = try await store.reserve("d", value: [0], ttl: .seconds(60))
        #expect(store.usage.entries == 3)
        #expect(try await store.reserve("b", value: [9], ttl: .seconds(60)) == .reserved)
        #expect(try await store.reserve("a", value: [9], ttl: .seconds(60)) == .existing([0]))
    }

    @Test func theByteBoundHolds() async throws {
        let store = MemoryStore(maxEntries: 1000, maxBytes: 10_000)
        for index in 0..<100 { _ = try await store.reserve("key-\(index)", value: [UInt8](repeating: 1, count: 1000), ttl: .seconds(60)) }
        #expect(store.usage.bytes <= 10_000)
        #expect(store.usage.entries >= 9)
        #expect(try await store.reserve("key-99", value: [], ttl: .seconds(60)) != .reserved)
    }

    @Test func stalePositionsDoNotGrowWithoutBound() async throws {
        let store = MemoryStore(maxEntries: 10)
        _ = try await store.reserve("hot", value: [0], ttl: .seconds(60))
        for _ in 0..<10_000 { _ = try await store.reserve("hot", value: [0], ttl: .seconds(60)) }
        #expect(store.usage.entries == 1)
    }
}
