import RestgateHTTP
import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

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

    /// Advances `clock` in steps of a tenth of `timeout` until `condition` holds; returns
    /// how much manual time that took, or nil if it did not happen within three timeouts.
    private func advance(_ clock: ManualClock, within timeout: Duration, until condition: () -> Bool) -> Duration? {
        var advanced: Duration = .zero
        while advanced <= timeout * 3 {
            if waitUntil(.milliseconds(200), condition) { return advanced }
            clock.advance(by: timeout / 10)
            advanced += timeout / 10
        }
        return nil
    }

    @Test func aClientThatReadsNothingIsClosedAfterTheSendTimeout() throws {
        let clock = ManualClock()
        let server = try TestServer(responder: EchoResponder()) {
            $0.clock = clock
            $0.sendTimeout = .seconds(30)
            $0.idleTimeout = .seconds(600)
        }
        defer { server.stop() }
        let stalled = try server.connect()
        try stalled.send(Self.hugeAnswer)
        #expect(waitUntil(.seconds(3)) { server.server.statistics.bufferedResponses > 0 })
        let took = advance(clock, within: .seconds(30)) { server.server.statistics.openConnections == 0 }
        // Not before the send timeout (a sweep notices the stall, the next one acts on it).
        #expect(took.map { $0 >= .seconds(30) && $0 <= .seconds(33) } == true, "closed after \(String(describing: took))")
        #expect(server.server.statistics.bufferedResponses == 0)
    }

    @Test func aClientThatKeepsSendingButNeverReadsIsClosedToo() throws {
        let clock = ManualClock()
        let server = try TestServer(responder: EchoResponder()) {
            $0.clock = clock
            $0.sendTimeout = .seconds(30)
        }
        defer { server.stop() }
        let stalled = try server.connect()
        try stalled.send(Self.hugeAnswer)
        // Requests keep arriving: reads are no progress for an answer nobody takes.
        var sent = 0
        let took = advance(clock, within: .seconds(30)) {
            if sent < 40, (try? stalled.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")) != nil { sent += 1 }
            return server.server.statistics.openConnections == 0
        }
        #expect(took != nil)
    }

    /// A client that pipelines requests and reads no answer gets one worked on, not one for
    /// every megabyte the kernel buffers; once it reads, the rest are answered in order.
    @Test func pipelinedRequestsWaitWhileEarlierAnswersSitUnread() throws {
        let server = try TestServer(responder: EchoResponder()) { $0.threads = 1 }
        defer { server.stop() }
        let connection = try server.connect()
        // Small answers, which the kernel's send queue takes whole: Restgate's own unsent
        // bytes stay at zero, only the kernel knows the client reads nothing.
        var small: Int32 = 16384
        setsockopt(connection.descriptor, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let request = "GET /big HTTP/1.1\r\nHost: t\r\nX-Body-Size: 120000\r\n\r\n"
        try connection.send(request + request + request)
        usleep(800_000)
        #expect(server.server.statistics.requestsServed == 1)
        for _ in 0..<3 {
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.body.count > 120_000)
        }
        #expect(server.server.statistics.requestsServed == 3)
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

/// Large request bodies share a per-loop budget and are handled off the loop; small bodies
/// never wait for either.
@Suite struct HTTPServerLargeBodyTests {
    private func post(_ size: Int, body: Int? = nil) -> [UInt8] {
        Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n".utf8) + [UInt8](repeating: 120, count: body ?? size)
    }

    private func server() throws -> TestServer {
        try TestServer(responder: EchoResponder()) {
            $0.threads = 1
            $0.maxBodyBytes = 100_000
            $0.maxBufferedRequestBytes = 100_000
            $0.largeBodyBytes = 1000
        }
    }

    @Test func aLargeBodyWaitsForRoomWhileSmallOnesAreServed() throws {
        let server = try server()
        defer { server.stop() }
        // The first large body holds 80,000 of the loop's 100,000 bytes until it is whole.
        let first = try server.connect()
        try first.send(post(80_000, body: 40_000))
        usleep(100_000)
        let second = try server.connect()
        try second.send(post(80_000))
        usleep(200_000)
        #expect(server.server.statistics.requestsThatWaitedForBodyRoom == 1)
        // A small body is not held up by the queue.
        let small = try server.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
        #expect(small.status == 200)
        #expect(small.text.contains(#""onLoop":true"#))
        // The first body completes; its answer frees the room the second one waits for.
        try first.send([UInt8](repeating: 120, count: 40_000))
        let firstAnswer = try first.readResponse()
        #expect(firstAnswer.status == 200)
        #expect(firstAnswer.text.contains(#""bodyBytes":80000"#))
        #expect(firstAnswer.text.contains(#""onLoop":false"#))
        let secondAnswer = try second.readResponse()
        #expect(secondAnswer.status == 200)
        #expect(secondAnswer.text.contains(#""bodyBytes":80000"#))
        #expect(server.server.statistics.bufferedRequests == 0)
    }

    @Test func aClosedWaiterIsForgottenAndTheNextOneServed() throws {
        let server = try server()
        defer { server.stop() }
        let holder = try server.connect()
        try holder.send(post(80_000, body: 10))
        usleep(100_000)
        var quitter: RawConnection? = try server.connect()
        try quitter?.send(post(80_000, body: 10))
        usleep(100_000)
        let patient = try server.connect()
        try patient.send(post(50_000))
        usleep(100_000)
        quitter = nil
        try holder.send([UInt8](repeating: 120, count: 79_990))
        #expect(try holder.readResponse().status == 200)
        #expect(try patient.readResponse().status == 200)
        #expect(server.server.statistics.requestsThatWaitedForBodyRoom == 2)
    }

    @Test func aChunkedBodyReservesOncePastTheLargeSize() throws {
        let server = try server()
        defer { server.stop() }
        let connection = try server.connect()
        let chunk = String(repeating: "y", count: 600)
        try connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n")
        usleep(100_000)
        #expect(server.server.statistics.bufferedRequests == 100_000)
        try connection.send("0\r\n\r\n")
        let answer = try connection.readResponse()
        #expect(answer.status == 200)
        #expect(answer.text.contains(#""bodyBytes":1200"#))
        #expect(server.server.statistics.bufferedRequests == 0)
    }
}
