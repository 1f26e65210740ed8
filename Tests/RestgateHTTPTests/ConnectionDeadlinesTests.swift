import RestgateRuntime
import Testing

@testable import RestgateServer

/// Every client-connection timeout, driven by a manual clock: no socket, no sleep.
@Suite struct ConnectionDeadlinesTests {
    private static let limits = ConnectionDeadlines.Limits(
        header: .seconds(10), body: .seconds(60), idle: .seconds(30), send: .seconds(20), linger: .seconds(2))
    private let clock = ManualClock()

    private func deadlines() -> ConnectionDeadlines { ConnectionDeadlines(limits: Self.limits, openedAt: clock.now) }

    private func check(_ deadlines: inout ConnectionDeadlines, _ stage: ConnectionDeadlines.Stage, backlog: Int32 = 0)
        -> ConnectionDeadlines.Action
    {
        deadlines.check(stage, now: clock.now, pipelinedUnreadLimit: 32768) { backlog }
    }

    private let idle = ConnectionDeadlines.Stage.awaitingHead(writing: false, waitsForReader: false)

    @Test func theHeadMustArriveWithinTheHeaderTimeout() {
        var deadlines = deadlines()
        clock.advance(by: .seconds(9))
        #expect(check(&deadlines, idle) == .none)
        clock.advance(by: .seconds(1))
        #expect(check(&deadlines, idle) == .failHeaderTimeout)
    }

    @Test func theNextHeadGetsItsOwnHeaderTimeout() {
        var deadlines = deadlines()
        deadlines.headComplete()
        deadlines.becameIdle(at: clock.now)
        clock.advance(by: .seconds(25))
        deadlines.headStarted(at: clock.now)
        clock.advance(by: .seconds(9))
        #expect(check(&deadlines, idle) == .none)
        clock.advance(by: .seconds(1))
        #expect(check(&deadlines, idle) == .failHeaderTimeout)
    }

    @Test func anIdleConnectionClosesAfterTheIdleTimeout() {
        var deadlines = deadlines()
        deadlines.headComplete()
        deadlines.becameIdle(at: clock.now)
        clock.advance(by: .seconds(29))
        #expect(check(&deadlines, idle) == .none)
        clock.advance(by: .seconds(1))
        #expect(check(&deadlines, idle) == .close)
    }

    @Test func idlenessWaitsWhileTheKernelStillDeliversTheLastAnswer() {
        var deadlines = deadlines()
        deadlines.headComplete()
        deadlines.becameIdle(at: clock.now)
        clock.advance(by: .seconds(30))
        #expect(check(&deadlines, idle, backlog: 9000) == .none)  // the slow reader took some: idleness restarts
        clock.advance(by: .seconds(30))
        #expect(check(&deadlines, idle, backlog: 9000) == .close)  // nothing moved for a whole idle timeout
    }

    @Test func aBodyMustBeWholeByItsDeadlineAndMustNotStall() {
        var deadlines = deadlines()
        deadlines.headComplete()
        let whole = clock.now + Self.limits.body
        for _ in 0..<5 {
            clock.advance(by: .seconds(10))
            deadlines.read(at: clock.now)
            #expect(check(&deadlines, .readingBody(deadline: whole)) == .none)
        }
        clock.advance(by: .seconds(10))
        #expect(check(&deadlines, .readingBody(deadline: whole)) == .failBodyTimeout)

        var stalled = self.deadlines()
        stalled.headComplete()
        clock.advance(by: .seconds(30))
        #expect(check(&stalled, .readingBody(deadline: clock.now + .seconds(60))) == .failBodyStalled)
    }

    @Test func anAnswerNobodyReadsIsDroppedAfterTheSendTimeout() {
        var deadlines = deadlines()
        deadlines.headComplete()
        deadlines.answerQueued(at: clock.now)
        #expect(check(&deadlines, .handling(writing: true), backlog: 100_000) == .none)
        clock.advance(by: .seconds(19))
        #expect(check(&deadlines, .handling(writing: true), backlog: 100_000) == .none)
        clock.advance(by: .seconds(1))
        #expect(check(&deadlines, .handling(writing: true), backlog: 100_000) == .close)
    }

    @Test func aSlowReaderThatTakesBytesIsNotAStalledOne() {
        var deadlines = deadlines()
        deadlines.headComplete()
        deadlines.answerQueued(at: clock.now)
        let writing = ConnectionDeadlines.Stage.awaitingHead(writing: true, waitsForReader: false)
        var backlog: Int32 = 1_000_000
        for _ in 0..<10 {
            clock.advance(by: .seconds(15))
            backlog -= 50_000  // the kernel's queue shrinks: the client reads
            #expect(check(&deadlines, writing, backlog: backlog) == .none)
        }
    }

    @Test func aPipelinedRequestResumesOnceTheClientTookItsAnswers() {
        var deadlines = deadlines()
        deadlines.headComplete()
        deadlines.waitingForReader(at: clock.now)
        let waiting = ConnectionDeadlines.Stage.awaitingHead(writing: false, waitsForReader: true)
        #expect(check(&deadlines, waiting, backlog: 40000) == .none)
        clock.advance(by: .seconds(1))
        #expect(check(&deadlines, waiting, backlog: 1000) == .resumePipelined)
        // One that never reads is closed after the send timeout.
        var stuck = self.deadlines()
        stuck.waitingForReader(at: clock.now)
        #expect(check(&stuck, waiting, backlog: 40000) == .none)
        clock.advance(by: .seconds(20))
        #expect(check(&stuck, waiting, backlog: 40000) == .close)
    }

    @Test func lingeringEndsAfterTheLingerTime() {
        var deadlines = deadlines()
        deadlines.beganLingering(at: clock.now)
        clock.advance(by: .milliseconds(1999))
        #expect(check(&deadlines, .lingering) == .none)
        clock.advance(by: .milliseconds(1))
        #expect(check(&deadlines, .lingering) == .close)
    }
}
