import RestgateRuntime
import Testing

@testable import RestgateUpstream

/// The pool's rules, with a manual clock and no socket: reuse, the limit, waiters in order,
/// the idle timeout, the probe, and the one retry.
@Suite struct UpstreamPoolStateTests {
    private final class Connection {}
    private final class Call {}
    private typealias State = UpstreamPoolState<Connection, Call>

    private let clock = ManualClock()
    private var polls: UInt64 = 10

    private func state(max: Int = 2) -> State {
        State(limits: .init(maxConnections: max, idleTimeout: .seconds(60), unprobedIdle: .milliseconds(500)))
    }

    private func loop(polls: UInt64? = nil, full: Bool = false) -> State.LoopView {
        State.LoopView(now: clock.now, polls: polls ?? self.polls, lastPollWasFull: full)
    }

    private func reused(_ checkout: State.Checkout) -> (Connection, Bool)? {
        if case .reuse(let connection, let probe) = checkout { return (connection, probe) }
        return nil
    }

    private func isOpen(_ checkout: State.Checkout) -> Bool {
        if case .open = checkout { return true }
        return false
    }

    private func isQueued(_ checkout: State.Checkout) -> Bool {
        if case .queued = checkout { return true }
        return false
    }

    @Test func callsOpenConnectionsUpToTheLimitThenWaitInOrder() {
        var state = state(max: 2)
        let calls = (0..<4).map { _ in Call() }
        #expect(isOpen(state.checkout(calls[0], loop: loop())))
        state.opened()
        #expect(isOpen(state.checkout(calls[1], loop: loop())))
        state.opened()
        #expect(isQueued(state.checkout(calls[2], loop: loop())))
        #expect(isQueued(state.checkout(calls[3], loop: loop())))
        // A freed connection serves the first waiter, then the next.
        let connection = Connection()
        guard case .serve(let first) = state.released(connection, loop: loop()) else { Issue.record("not served"); return }
        #expect(first === calls[2])
        guard case .serve(let second) = state.released(connection, loop: loop()) else { Issue.record("not served"); return }
        #expect(second === calls[3])
        guard case .park = state.released(connection, loop: loop()) else { Issue.record("not parked"); return }
        #expect(state.idleCount == 1)
    }

    @Test func aNewCallNeverOvertakesAWaitingOne() {
        var state = state(max: 1)
        let (first, second) = (Call(), Call())
        #expect(isOpen(state.checkout(first, loop: loop())))
        state.opened()
        #expect(isQueued(state.checkout(second, loop: loop())))
        // A connection parked by some other path still does not let a newcomer jump the queue.
        #expect(isQueued(state.checkout(Call(), loop: loop())))
        #expect(state.waitingCount == 2)
    }

    @Test func theNewestIdleConnectionIsReusedWithoutAProbeOnlyWhenTrusted() {
        var state = state(max: 4)
        let (older, newer) = (Connection(), Connection())
        for _ in 0..<2 { state.opened() }
        _ = state.released(older, loop: loop())
        _ = state.released(newer, loop: loop())
        // Not yet watched by a poll since it went idle: probed.
        let sameLoop = reused(state.checkout(Call(), loop: loop()))
        #expect(sameLoop?.0 === newer && sameLoop?.1 == true)
        // Watched by a later poll that was not full, idle briefly: trusted.
        clock.advance(by: .milliseconds(100))
        let trusted = reused(state.checkout(Call(), loop: loop(polls: polls + 1)))
        #expect(trusted?.0 === older && trusted?.1 == false)
    }

    @Test func aFullPollOrALongIdlenessMeansAProbe() {
        var state = state(max: 4)
        let connection = Connection()
        state.opened()
        _ = state.released(connection, loop: loop())
        #expect(reused(state.checkout(Call(), loop: loop(polls: polls + 1, full: true)))?.1 == true)
        _ = state.released(connection, loop: loop())
        clock.advance(by: .seconds(1))
        #expect(reused(state.checkout(Call(), loop: loop(polls: polls + 5)))?.1 == true)
    }

    @Test func idleConnectionsPastTheIdleTimeoutAreClosedNotReused() {
        var state = state(max: 4)
        let (stale, fresh) = (Connection(), Connection())
        for _ in 0..<2 { state.opened() }
        _ = state.released(stale, loop: loop())
        clock.advance(by: .seconds(59))
        _ = state.released(fresh, loop: loop())
        clock.advance(by: .seconds(1))
        let expired = state.removeExpired(now: clock.now)
        #expect(expired.count == 1 && expired.first === stale)
        state.closed(stale)
        #expect(reused(state.checkout(Call(), loop: loop()))?.0 === fresh)
        clock.advance(by: .seconds(60))
        #expect(state.removeExpired(now: clock.now).isEmpty)  // it is busy, not idle
    }

    @Test func aFailedCallIsRetriedOnceBeforeItsDeadlineAndAheadOfWaiters() {
        var state = state(max: 1)
        let (failing, waiter) = (Call(), Call())
        #expect(isOpen(state.checkout(failing, loop: loop())))
        state.opened()
        #expect(isQueued(state.checkout(waiter, loop: loop())))
        let deadline = clock.now + .seconds(5)
        // No room while the failed connection still counts: the retry goes first in line.
        guard case .retryFirstInLine = state.failed(failing, attempts: 1, retryable: true, deadline: deadline, now: clock.now) else {
            Issue.record("not queued first")
            return
        }
        state.closed(Connection())
        #expect(state.nextToOpen() === failing)
        state.opened()
        #expect(state.nextToOpen() == nil)  // the limit holds: the waiter waits for the retry's connection

        guard case .fail = state.failed(failing, attempts: 2, retryable: true, deadline: deadline, now: clock.now) else {
            Issue.record("retried twice")
            return
        }
        clock.advance(by: .seconds(5))
        guard case .fail = state.failed(Call(), attempts: 1, retryable: true, deadline: deadline, now: clock.now) else {
            Issue.record("retried past the deadline")
            return
        }
        guard case .fail = state.failed(Call(), attempts: 1, retryable: false, deadline: clock.now + .seconds(5), now: clock.now) else {
            Issue.record("retried a non-retryable failure")
            return
        }
    }

    @Test func shuttingDownClosesIdleConnectionsAndThenEachReleasedOne() {
        var state = state(max: 2)
        let (idle, busy) = (Connection(), Connection())
        for _ in 0..<2 { state.opened() }
        _ = state.released(idle, loop: loop())
        #expect(state.shutDown().first === idle)
        guard case .close = state.released(busy, loop: loop()) else { Issue.record("kept after shutdown"); return }
    }

    @Test func anExpiredWaiterLeavesTheQueue() {
        var state = state(max: 1)
        state.opened()
        let (late, next) = (Call(), Call())
        _ = state.checkout(late, loop: loop())
        _ = state.checkout(next, loop: loop())
        state.expired(late)
        state.closed(Connection())
        #expect(state.nextToOpen() === next)
    }
}
