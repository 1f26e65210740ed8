import RestgateHTTP
import RestgateRuntime
import Testing

@testable import RestgateServer

/// A client connection's lifecycle decisions, without a socket.
@Suite struct HTTPConnectionStateTests {
    private static let request = HTTPConnectionState.InFlight(
        method: .get, path: "/x", version: .http1_1, keepAlive: true, requestID: "r", startedAt: Instant(nanoseconds: 1))

    private func handling() -> HTTPConnectionState {
        var state = HTTPConnectionState()
        state.enter(.handling(Self.request))
        return state
    }

    @Test func aKeepAliveAnswerReturnsToAwaitingTheNextHead() {
        var state = handling()
        let outcome1 = state.answered(requestKeepsAlive: true, draining: false, pipelinedBytes: 0)
        #expect(outcome1)
        guard case .awaitingHead = state.phase else { Issue.record("not awaiting a head"); return }
        #expect(!state.closeAfterWrite && !state.answeredWhilePipelining)
        #expect(!state.shouldLinger(outboundIsEmpty: true))
    }

    @Test func aDrainOrAConnectionCloseEndsTheConnectionAfterTheAnswer() {
        var draining = handling()
        let outcome2 = draining.answered(requestKeepsAlive: true, draining: true, pipelinedBytes: 0)
        #expect(!outcome2)
        #expect(draining.closeAfterWrite)
        #expect(!draining.shouldLinger(outboundIsEmpty: false))  // not before the answer is out
        #expect(draining.shouldLinger(outboundIsEmpty: true))
        var closing = handling()
        let outcome3 = closing.answered(requestKeepsAlive: false, draining: false, pipelinedBytes: 0)
        #expect(!outcome3)
        #expect(closing.shouldLinger(outboundIsEmpty: true))
    }

    @Test func anAnswerQueuedWhileTheNextRequestArrivesIsMarkedAsPipelined() {
        var state = handling()
        _ = state.answered(requestKeepsAlive: true, draining: false, pipelinedBytes: 120)
        #expect(state.answeredWhilePipelining)
    }

    @Test func aClientThatClosedItsSideGetsItsAnswersFirst() {
        var handlingRequest = handling()
        handlingRequest.clientClosed()
        #expect(handlingRequest.peerClosedDecision(outboundIsEmpty: true) == .wait)  // the answer is still coming
        _ = handlingRequest.answered(requestKeepsAlive: true, draining: false, pipelinedBytes: 0)
        let outcome4 = handlingRequest.peerClosedDecision(outboundIsEmpty: false)
        #expect(outcome4 == .closeAfterWrite)
        let outcome5 = handlingRequest.peerClosedDecision(outboundIsEmpty: true)
        #expect(outcome5 == .close)

        var waiting = HTTPConnectionState()
        waiting.waitsForReader = true
        waiting.clientClosed()
        #expect(waiting.peerClosedDecision(outboundIsEmpty: true) == .wait)  // its pipelined request is still read
    }

    @Test func readingPausesWhileTooMuchWaitsInEitherDirection() {
        var state = HTTPConnectionState()
        #expect(state.interest(bufferedBytes: 0, outboundBytes: 0) == .read)
        #expect(state.interest(bufferedBytes: 0, outboundBytes: 10) == [.read, .write])
        #expect(state.interest(bufferedBytes: 0, outboundBytes: HTTPConnectionState.outboundHighWater) == .write)
        state.waitsForReader = true
        #expect(state.interest(bufferedBytes: 10, outboundBytes: 0) == [])
        var busy = handling()
        #expect(busy.interest(bufferedBytes: HTTPConnectionState.inboundHighWater - 1, outboundBytes: 0) == .read)
        #expect(busy.interest(bufferedBytes: HTTPConnectionState.inboundHighWater, outboundBytes: 0) == [])
        busy.clientClosed()
        #expect(busy.interest(bufferedBytes: 0, outboundBytes: 5) == .write)
    }

    @Test func aDrainReadsWhatTheKernelHoldsBeforeClosing() {
        var idle = HTTPConnectionState()
        #expect(idle.drain(bufferedBytes: 0) == .readFirst)
        let outcome6 = idle.drainAfterReading(bufferedBytes: 0, outboundIsEmpty: true)
        #expect(outcome6 == .close)
        var arrived = HTTPConnectionState()
        #expect(arrived.drainAfterReading(bufferedBytes: 80, outboundIsEmpty: true) == .wait)  // served first
        #expect(handling().drain(bufferedBytes: 0) == .none)
        var writing = HTTPConnectionState()
        let outcome7 = writing.drainAfterReading(bufferedBytes: 0, outboundIsEmpty: false)
        #expect(outcome7 == .closeAfterWrite)
        #expect(writing.closeAfterWrite)
    }

    @Test func closingIsFinal() {
        var state = handling()
        let outcome8 = state.close()
        #expect(outcome8)
        let outcome9 = state.close()
        #expect(!outcome9)
        state.enter(.awaitingHead)
        #expect(state.isClosed)
    }
}
