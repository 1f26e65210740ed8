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

/// Graceful drain: stop accepting, finish what is in flight (with `Connection: close`),
/// close idle connections, and stop; or stop at the deadline when a request will not end.
@Suite struct HTTPServerDrainTests {
    @Test func drainFinishesTheRequestInFlightAndClosesIdleConnections() throws {
        let server = try TestServer(responder: EchoResponder()) { $0.drainTimeout = .seconds(10) }
        let port = server.port
        let idle = try server.connect()
        try idle.send("GET /idle HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        let busy = try server.connect()
        try busy.send("GET /busy HTTP/1.1\r\nHost: t\r\nX-Delay-Ms: 600\r\n\r\n")

        try waitUntil { server.server.statistics.requestsServed == 1 && server.server.statistics.openConnections == 2 }
        let started = ContinuousClock.now
        server.server.shutdown()
        #expect(server.server.lifecycle.isDraining)

        #expect(try idle.isClosedByPeer())
        #expect(ContinuousClock.now - started < .milliseconds(500))
        #expect(throws: TestFailure.self) { _ = try RawConnection(port: port) }

        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.header("connection") == "close")
        #expect(response.text.contains(#""path":"/busy""#))
        #expect(try busy.isClosedByPeer())

        server.server.waitUntilStopped()
        #expect(server.server.lifecycle.state == .stopped)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func requestSentJustBeforeTheDrainIsStillAnswered() throws {
        let server = try TestServer(responder: EchoResponder())
        let connection = try server.connect()
        try waitUntil { server.server.statistics.openConnections == 1 }
        try connection.send("GET /just-in-time HTTP/1.1\r\nHost: t\r\n\r\n")
        server.server.shutdown()
        // The loop may answer before the drain begins (then the connection is idle and closed)
        // or after (then the answer says close); either way the request is answered.
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text.contains(#""path":"/just-in-time""#))
        #expect(try connection.isClosedByPeer())
        server.server.waitUntilStopped()
    }

    @Test func drainStopsAtItsDeadlineWhenARequestWillNotFinish() throws {
        let clock = ManualClock()
        let server = try TestServer(responder: EchoResponder()) {
            $0.clock = clock
            $0.drainTimeout = .seconds(25)
        }
        let stuck = try server.connect()
        try stuck.send("GET /stuck HTTP/1.1\r\nHost: t\r\nX-Delay-Ms: 20000\r\n\r\n")
        try waitUntil { server.server.statistics.openConnections == 1 }
        server.server.shutdown()
        // Draining: the stuck request holds it open until the deadline.
        #expect(server.server.lifecycle.state == .draining)
        clock.advance(by: .seconds(25))
        server.server.waitUntilStopped()
        #expect(try stuck.isClosedByPeer())
    }
}

/// Polls `condition` for up to two seconds: for state another thread changes.
func waitUntil(_ condition: () -> Bool) throws {
    let deadline = ContinuousClock.now + .seconds(2)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("condition not met within 2 s") }
        try? sleepBriefly()
    }
}

private func sleepBriefly() throws {
    var request = timespec(tv_sec: 0, tv_nsec: 5_000_000)
    nanosleep(&request, nil)
}
