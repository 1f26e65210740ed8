import Testing

@testable import RestgateUpstream

/// An upstream connection's lifecycle and its retry and reuse rules, without a socket.
@Suite struct UpstreamConnectionStateTests {
    @Test func plainHTTPConnectsWritesReadsAndGoesBackToThePool() {
        var state = UpstreamConnectionState()
        let outcome1 = state.start()
        #expect(outcome1 == .awaitTransport)
        let outcome2 = state.connected(usesTLS: false)
        #expect(outcome2 == .writeRequest)
        #expect(state.phase == .writing)
        state.requestWritten()
        #expect(state.phase == .reading)
        let outcome3 = state.answered(persistent: true, wroteWholeRequest: true)
        #expect(outcome3)
        #expect(state.phase == .idle && state.isReused && !state.hasCall)
        // The next call writes at once.
        let outcome4 = state.start()
        #expect(outcome4 == .writeRequest)
    }

    @Test func httpsHandshakesBeforeWriting() {
        var state = UpstreamConnectionState()
        _ = state.start()
        let outcome5 = state.connected(usesTLS: true)
        #expect(outcome5 == .startHandshake)
        #expect(state.phase == .handshaking)
        #expect(state.start() == .awaitTransport)  // a call never writes into a handshake
        let outcome6 = state.handshakeFinished()
        #expect(outcome6 == .writeRequest)
        #expect(state.phase == .writing)
    }

    @Test func aConnectionIsPooledOnlyWhenEverythingAllowsIt() {
        func reusable(persistent: Bool, whole: Bool, peerClosed: Bool) -> Bool {
            var state = UpstreamConnectionState()
            _ = state.start()
            _ = state.connected(usesTLS: false)
            state.requestWritten()
            if peerClosed { state.sawPeerClose() }
            return state.answered(persistent: persistent, wroteWholeRequest: whole)
        }
        #expect(reusable(persistent: true, whole: true, peerClosed: false))
        #expect(!reusable(persistent: false, whole: true, peerClosed: false))
        #expect(!reusable(persistent: true, whole: false, peerClosed: false))  // the answer came before the body was out
        #expect(!reusable(persistent: true, whole: true, peerClosed: true))
    }

    @Test func onlyTheKeepAliveRaceOfAnIdempotentCallIsRetried() {
        var fresh = UpstreamConnectionState()
        _ = fresh.start()
        _ = fresh.connected(usesTLS: false)
        // A fresh connection closing early is the upstream's failure, not the race.
        #expect(!fresh.mayRetryEarlyClose(receivedAnything: false, isIdempotent: true))
        _ = fresh.answered(persistent: true, wroteWholeRequest: true)
        var reused = fresh
        _ = reused.start()
        #expect(reused.mayRetryEarlyClose(receivedAnything: false, isIdempotent: true))
        #expect(!reused.mayRetryEarlyClose(receivedAnything: true, isIdempotent: true))
        #expect(!reused.mayRetryEarlyClose(receivedAnything: false, isIdempotent: false))
        // A request of which nothing went out may go elsewhere, mutation or not.
        #expect(reused.mayRetryWriteFailure(bytesWritten: 0))
        #expect(!reused.mayRetryWriteFailure(bytesWritten: 1))
    }

    @Test func closingHappensOnce() {
        var state = UpstreamConnectionState()
        let outcome7 = state.close()
        #expect(outcome7)
        let again = state.close()
        #expect(!again)
        let afterClose = state.connected(usesTLS: false)
        #expect(state.isClosed && afterClose == .listen)
    }
}
