import RestgateRuntime
import Testing

@testable import RestgateStore

/// GCRA in the in-memory store: `capacity` requests at once, then one per interval, with the
/// backlog the stage turns into `RateLimit` and `Retry-After`.
@Suite struct RateLimitTests {
    private let key = StoreKey(namespace: "ratelimit", digest: Array("client".utf8))

    @Test func aBurstPassesThenOneRequestPerInterval() async throws {
        let clock = ManualClock()
        let store = MemoryStore(clock: clock)
        // 5 per minute: one request's room every 12 s (12,000,000 µs).
        for passed in 1...5 {
            let decision = try await store.admit(key, interval: 12_000_000, capacity: 5)
            #expect(decision == RateDecision(allowed: true, backlogMicroseconds: Int64(passed) * 12_000_000))
        }
        #expect(
            try await store.admit(key, interval: 12_000_000, capacity: 5) == RateDecision(allowed: false, backlogMicroseconds: 60_000_000))
        clock.advance(by: .milliseconds(11_999))
        #expect(try await !store.admit(key, interval: 12_000_000, capacity: 5).allowed)
        clock.advance(by: .milliseconds(1))
        #expect(
            try await store.admit(key, interval: 12_000_000, capacity: 5) == RateDecision(allowed: true, backlogMicroseconds: 60_000_000))
        #expect(try await !store.admit(key, interval: 12_000_000, capacity: 5).allowed)
    }

    @Test func aRefusedRequestSpendsNothingAndAnIdleClientIsWhole() async throws {
        let clock = ManualClock()
        let store = MemoryStore(clock: clock)
        for _ in 0..<2 { _ = try await store.admit(key, interval: 1_000_000, capacity: 2) }
        for _ in 0..<10 { #expect(try await !store.admit(key, interval: 1_000_000, capacity: 2).allowed) }
        clock.advance(by: .seconds(1))
        #expect(try await store.admit(key, interval: 1_000_000, capacity: 2).allowed)
        clock.advance(by: .seconds(60))
        // The state expired with its backlog: the full burst again.
        #expect(try await store.admit(key, interval: 1_000_000, capacity: 2) == RateDecision(allowed: true, backlogMicroseconds: 1_000_000))
        #expect(try await store.admit(key, interval: 1_000_000, capacity: 2).allowed)
        #expect(try await !store.admit(key, interval: 1_000_000, capacity: 2).allowed)
    }

    @Test func clientsHaveBudgetsOfTheirOwn() async throws {
        let store = MemoryStore(clock: ManualClock())
        let other = StoreKey(namespace: "ratelimit", digest: Array("other".utf8))
        #expect(try await store.admit(key, interval: 60_000_000, capacity: 1).allowed)
        #expect(try await !store.admit(key, interval: 60_000_000, capacity: 1).allowed)
        #expect(try await store.admit(other, interval: 60_000_000, capacity: 1).allowed)
    }

    @Test func theArithmeticIsGCRA() {
        #expect(
            RateDecision.gcra(tat: nil, now: 100, interval: 10, capacity: 3) == (RateDecision(allowed: true, backlogMicroseconds: 10), 110))
        #expect(
            RateDecision.gcra(tat: 120, now: 100, interval: 10, capacity: 3) == (RateDecision(allowed: true, backlogMicroseconds: 30), 130))
        // One more would put the backlog past three intervals: refused, nothing spent.
        #expect(
            RateDecision.gcra(tat: 121, now: 100, interval: 10, capacity: 3) == (RateDecision(allowed: false, backlogMicroseconds: 21), 121)
        )
        // A past arrival time counts from now: idle time does not build up beyond the burst.
        #expect(
            RateDecision.gcra(tat: 10, now: 100, interval: 10, capacity: 3) == (RateDecision(allowed: true, backlogMicroseconds: 10), 110))
    }
}
