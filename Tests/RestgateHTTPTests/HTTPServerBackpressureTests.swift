import RestgateHTTP
import RestgateTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Memory is bounded per connection and in total: a client that does not read its answers
/// is closed after the send timeout, and past the buffered-answer cap new requests get 503.
@Suite struct HTTPServerBackpressureTests {
    /// Far more than loopback's socket buffers hold, so most of it waits in the server.
    private static let hugeAnswer = "GET /big HTTP/1.1\r\nHost: t\r\nX-Body-Size: 48000000\r\n\r\n"

    private func waitUntil(_ deadline: Duration, _ condition: () -> Bool) -> Bool {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    @Test func aClientThatReadsNothingIsClosedAfterTheSendTimeout() throws {
        let server = try TestServer(responder: EchoResponder()) {
            $0.sendTimeout = .seconds(1)
            $0.idleTimeout = .seconds(60)
        }
        defer { server.stop() }
        let stalled = try server.connect()
        try stalled.send(Self.hugeAnswer)
        #expect(waitUntil(.seconds(3)) { server.server.statistics.bufferedResponses > 0 })
        let started = ContinuousClock.now
        #expect(waitUntil(.seconds(5)) { server.server.statistics.openConnections == 0 })
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(500) && waited < .seconds(4), "closed after \(waited)")
        #expect(server.server.statistics.bufferedResponses == 0)
    }

    @Test func aClientThatKeepsSendingButNeverReadsIsClosedToo() throws {
        let server = try TestServer(responder: EchoResponder()) { $0.sendTimeout = .seconds(1) }
        defer { server.stop() }
        let stalled = try server.connect()
        try stalled.send(Self.hugeAnswer)
        // Requests keep arriving: reads are no progress for an answer nobody takes.
        var sent = 0
        let closed = waitUntil(.seconds(5)) {
            if sent < 40, (try? stalled.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")) != nil { sent += 1 }
            return server.server.statistics.openConnections == 0
        }
        #expect(closed)
    }

    @Test func pastTheBufferedAnswerCapNewRequestsGet503AndOthersRecover() throws {
        let server = try TestServer(responder: EchoResponder()) {
            $0.maxBufferedResponseBytes = 4 << 20
            $0.sendTimeout = .seconds(30)
        }
        defer { server.stop() }
        var hog: RawConnection? = try server.connect()
        try hog?.send(Self.hugeAnswer)
        #expect(waitUntil(.seconds(3)) { server.server.statistics.bufferedResponses > 4 << 20 })
        let refused = try server.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(refused.status == 503)
        #expect(refused.header("retry-after") == "5")
        #expect(refused.header("connection") == "close")
        #expect(refused.text.contains(#""code":"UNAVAILABLE""#))
        #expect(server.server.statistics.overloadedRequests == 1)
        hog = nil  // closing it frees its answer
        #expect(waitUntil(.seconds(3)) { server.server.statistics.bufferedResponses == 0 })
        #expect(try server.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
    }
}
