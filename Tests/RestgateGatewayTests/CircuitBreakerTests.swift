import Testing

@testable import RestgateGateway
@testable import RestgateRuntime

/// The breaker opens on consecutive failures or a failure ratio, refuses while open, lets one
/// probe through after the open period, and the probe decides.
@Suite struct CircuitBreakerTests {
    private func breaker(_ clock: ManualClock, failures: Int = 3) -> CircuitBreaker {
        var configuration = CircuitBreaker.Configuration()
        configuration.failures = failures
        configuration.openDuration = .seconds(10)
        configuration.minimumCalls = 10
        return CircuitBreaker(upstream: "unioo", configuration: configuration, clock: clock)
    }

    @Test func consecutiveFailuresOpenItAndTheProbeClosesIt() {
        let clock = ManualClock()
        let breaker = breaker(clock)
        for _ in 0..<2 {
            #expect(breaker.admit() == .pass)
            breaker.record(failed: true, probe: false)
        }
        #expect(breaker.phase == .closed)
        breaker.record(failed: true, probe: false)
        #expect(breaker.phase == .open)
        #expect(breaker.admit() == .refused(retryAfter: .seconds(10)))
        clock.advance(by: .seconds(4))
        #expect(breaker.admit() == .refused(retryAfter: .seconds(6)))
        clock.advance(by: .seconds(6))
        #expect(breaker.phase == .halfOpen)
        #expect(breaker.admit() == .probe)
        // One probe at a time: the others are still refused.
        #expect(breaker.admit() == .refused(retryAfter: .seconds(10)))
        breaker.record(failed: false, probe: true)
        #expect(breaker.phase == .closed)
        #expect(breaker.admit() == .pass)
        #expect(breaker.timesOpened == 1)
    }

    @Test func aFailedProbeOpensItAgain() {
        let clock = ManualClock()
        let breaker = breaker(clock, failures: 1)
        breaker.record(failed: true, probe: false)
        clock.advance(by: .seconds(10))
        #expect(breaker.admit() == .probe)
        breaker.record(failed: true, probe: true)
        #expect(breaker.phase == .open)
        #expect(breaker.admit() == .refused(retryAfter: .seconds(10)))
        #expect(breaker.timesOpened == 2)
    }

    @Test func aProbeThatMadeNoCallLeavesTheNextRequestToProbe() {
        let clock = ManualClock()
        let breaker = breaker(clock, failures: 1)
        breaker.record(failed: true, probe: false)
        clock.advance(by: .seconds(10))
        #expect(breaker.admit() == .probe)
        breaker.record(failed: nil, probe: true)
        #expect(breaker.admit() == .probe)
    }

    @Test func successesResetTheRunButTheRatioStillCounts() {
        let clock = ManualClock()
        let breaker = breaker(clock)
        // Fail, fail, succeed: never three in a row, but 6 of 9, then 7 of 10 calls failed.
        for _ in 0..<3 {
            breaker.record(failed: true, probe: false)
            breaker.record(failed: true, probe: false)
            breaker.record(failed: false, probe: false)
        }
        #expect(breaker.phase == .closed)
        breaker.record(failed: true, probe: false)
        #expect(breaker.phase == .open)
    }

    @Test func theRatioWindowStartsAgain() {
        let clock = ManualClock()
        let breaker = breaker(clock)
        for _ in 0..<4 {
            breaker.record(failed: true, probe: false)
            breaker.record(failed: false, probe: false)
        }
        clock.advance(by: .seconds(30))
        // A new window: the old failures are gone, so two more do not reach the minimum.
        breaker.record(failed: true, probe: false)
        breaker.record(failed: false, probe: false)
        #expect(breaker.phase == .closed)
        breaker.record(failed: nil, probe: false)
        #expect(breaker.phase == .closed)
    }
}
