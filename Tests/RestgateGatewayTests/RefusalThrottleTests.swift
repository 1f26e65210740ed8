import RestgateRoutePlan
import RestgateRuntime
import Testing

@testable import RestgateGateway

/// The refused-token bound's arithmetic on a clock moved by hand: the burst, the wait it
/// announces, the drain, one address never charged for another, and the bound on addresses.
@Suite struct RefusalThrottleTests {
    @Test func aBurstThenOneAnIntervalPerAddress() throws {
        let clock = ManualClock()
        let throttle = RefusalThrottle(policy: try #require(RateLimitPolicy.parse("3/3s")), clock: clock)
        for _ in 0..<3 {
            #expect(throttle.wait(for: "10.0.0.1") == nil)
            throttle.record("10.0.0.1")
        }
        // Three refusals spent the burst: the next check waits one interval, 1 s.
        #expect(throttle.wait(for: "10.0.0.1") == 1_000_000)
        #expect(throttle.wait(for: "10.0.0.2") == nil)
        clock.advance(by: .milliseconds(400))
        #expect(throttle.wait(for: "10.0.0.1") == 600_000)
        clock.advance(by: .milliseconds(600))
        #expect(throttle.wait(for: "10.0.0.1") == nil)
        throttle.record("10.0.0.1")
        #expect(throttle.wait(for: "10.0.0.1") == 1_000_000)
        clock.advance(by: .seconds(3))
        for _ in 0..<3 {
            #expect(throttle.wait(for: "10.0.0.1") == nil)
            throttle.record("10.0.0.1")
        }
    }

    @Test func theTableStaysBounded() throws {
        let clock = ManualClock()
        let throttle = RefusalThrottle(policy: try #require(RateLimitPolicy.parse("1/1m")), clock: clock)
        for index in 0..<(RefusalThrottle.maxAddresses + 50) { throttle.record("a\(index)") }
        #expect(throttle.count <= RefusalThrottle.maxAddresses)
        // When it fills again, the drained addresses go first: every new one is kept.
        clock.advance(by: .seconds(61))
        for index in 0..<1000 { throttle.record("new\(index)") }
        #expect(throttle.count == 1000)
        #expect(throttle.wait(for: "new0") != nil)
        #expect(throttle.wait(for: "a0") == nil)
    }
}
