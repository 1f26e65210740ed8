import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

@Suite("TimerQueue")
struct TimerQueueTests {
    /// Each upstream call arms a deadline and cancels it on its answer, thousands of times a
    /// second: the queue must not hold the cancelled ones until their deadline (the bench's
    /// soak found 45 MiB of them at 20k calls/s and a 15 s timeout).
    @Test func cancelledTimersDoNotAccumulate() {
        var queue = TimerQueue()
        let far = Instant(nanoseconds: 1_000_000_000_000)
        for index in 0..<20_000 {
            let timer = queue.schedule(at: Instant(nanoseconds: far.nanoseconds + UInt64(index))) {}
            timer.cancel()
        }
        #expect(queue.storedCount < 130)
        #expect(queue.popDue(now: Instant(nanoseconds: UInt64.max)).isEmpty)
    }

    @Test func liveTimersFireInOrderAcrossDrops() {
        var queue = TimerQueue()
        var fired: [Int] = []
        var live: [Int] = []
        var kept: [ScheduledTimer] = []
        // Deadlines in a scrambled order; every third timer stays live.
        for index in 0..<3000 {
            let deadline = UInt64((index * 7919) % 3000)
            let timer = queue.schedule(at: Instant(nanoseconds: deadline)) { fired.append(Int(deadline)) }
            if index % 3 == 0 {
                live.append(Int(deadline))
                kept.append(timer)
            } else {
                timer.cancel()
            }
        }
        kept[0].cancel()
        kept[0].cancel()
        live.removeAll { $0 == 0 }
        for timer in queue.popDue(now: Instant(nanoseconds: 10_000)) { timer.callback() }
        #expect(fired == live.sorted())
        #expect(queue.storedCount == 0)
    }

    @Test func cancellingAFiredTimerChangesNothing() {
        var queue = TimerQueue()
        let timer = queue.schedule(at: Instant(nanoseconds: 5)) {}
        #expect(queue.popDue(now: Instant(nanoseconds: 10)).count == 1)
        timer.cancel()
        for index in 0..<200 { _ = queue.schedule(at: Instant(nanoseconds: UInt64(100 + index))) {} }
        #expect(queue.popDue(now: Instant(nanoseconds: 1000)).count == 200)
    }
}
