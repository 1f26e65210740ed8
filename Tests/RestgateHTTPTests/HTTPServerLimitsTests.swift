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

/// Each limit, its status, its problem body, and that the connection is closed after it.
@Suite struct HTTPServerLimitsTests {
    private func expectProblem(_ response: RawResponse, status: Int, code: String) {
        #expect(response.status == status)
        #expect(response.header("content-type") == "application/problem+json")
        #expect(response.text.contains(#""status":\#(status)"#))
        #expect(response.text.contains(#""code":"\#(code)""#))
        #expect(response.text.contains(#""requestId":"\#(response.header("x-request-id") ?? "missing")""#))
    }

    @Test func overlongTargetIs414() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET /\(String(repeating: "a", count: 8200)) HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try connection.readResponse()
        expectProblem(response, status: 414, code: "URI_TOO_LONG")
        #expect(response.header("connection") == "close")
        #expect(try connection.isClosedByPeer())
    }

    @Test func targetJustUnderTheLimitIsServed() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let response = try server.request("GET /\(String(repeating: "a", count: 8190)) HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.status == 200)
    }

    @Test func headerSectionTooLargeIs431() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let response = try server.request("GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "b", count: 17000))\r\n\r\n")
        expectProblem(response, status: 431, code: "HEADERS_TOO_LARGE")
    }

    @Test func tooManyHeaderFieldsIs431() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let fields = (0..<101).map { "X-F\($0): v\r\n" }.joined()
        let response = try server.request("GET / HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
        expectProblem(response, status: 431, code: "HEADERS_TOO_LARGE")
        let fine = (0..<99).map { "X-F\($0): v\r\n" }.joined()
        #expect(try server.request("GET / HTTP/1.1\r\nHost: t\r\n\(fine)\r\n").status == 200)
    }

    @Test func declaredBodyOverTheLimitIs413BeforeTheBodyIsSent() throws {
        let server = try TestServer(responder: EchoResponder()) { $0.maxBodyBytes = 1000 }
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n")
        let response = try connection.readResponse()
        expectProblem(response, status: 413, code: "PAYLOAD_TOO_LARGE")
        #expect(try connection.isClosedByPeer())
        #expect(
            try server.request("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n\(String(repeating: "x", count: 1000))").status
                == 200)
    }

    @Test func expectContinueOverTheLimitGets413AndNoContinue() throws {
        let server = try TestServer(responder: EchoResponder()) { $0.maxBodyBytes = 1000 }
        defer { server.stop() }
        let response = try server.request("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
        expectProblem(response, status: 413, code: "PAYLOAD_TOO_LARGE")
    }

    @Test func chunkedBodyOverTheLimitIs413WhileReading() throws {
        let server = try TestServer(responder: EchoResponder()) { $0.maxBodyBytes = 1000 }
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
        try connection.send("200\r\n\(String(repeating: "y", count: 512))\r\n")
        try connection.send("200\r\n")
        let response = try connection.readResponse()
        expectProblem(response, status: 413, code: "PAYLOAD_TOO_LARGE")
        #expect(try connection.isClosedByPeer())
    }

    @Test func malformedRequestIs400AndCloses() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n")
        let response = try connection.readResponse()
        expectProblem(response, status: 400, code: "MALFORMED_REQUEST")
        #expect(response.text.contains(#""instance":"urn:restgate:request:"#))
        #expect(response.header("connection") == "close")
        #expect(try connection.isClosedByPeer())
    }

    @Test func unsupportedVersionIs505() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        expectProblem(try server.request("GET / HTTP/3.0\r\nHost: t\r\n\r\n"), status: 505, code: "HTTP_VERSION_NOT_SUPPORTED")
    }

    /// The server's loops run on `clock`; real time cannot reach its (real-world) timeouts.
    private func manualServer(_ clock: ManualClock, _ configure: @escaping (inout HTTPServerConfiguration) -> Void) throws -> TestServer {
        try TestServer(responder: EchoResponder()) {
            $0.clock = clock
            configure(&$0)
        }
    }

    /// Waits (a bounded poll, not a timeout) until the server has accepted `count` connections.
    private func awaitAccepted(_ server: TestServer, _ count: Int) throws {
        for _ in 0..<5000 where server.server.statistics.acceptedConnections < count { usleep(1000) }
        guard server.server.statistics.acceptedConnections >= count else { throw TestFailure("the connection was not accepted") }
    }

    /// Past a deadline, and past the next look of the server's 250 ms sweep.
    private static let sweep: Duration = .milliseconds(250)

    @Test func slowHeaderSectionIs408AndCloses() throws {
        let clock = ManualClock()
        let server = try manualServer(clock) { $0.headerTimeout = .seconds(10) }
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET / HTTP/1.1\r\nHost: t\r\n")
        try awaitAccepted(server, 1)
        clock.advance(by: .seconds(10) + Self.sweep)
        let response = try connection.readResponse()
        expectProblem(response, status: 408, code: "REQUEST_TIMEOUT")
        #expect(response.header("connection") == "close")
        #expect(try connection.isClosedByPeer())
    }

    @Test func bodyTrickledPastTheBodyTimeoutIs408() throws {
        let clock = ManualClock()
        let server = try manualServer(clock) { $0.bodyTimeout = .seconds(60) }
        defer { server.stop() }
        let connection = try server.connect()
        // 100-continue says when the head is read and the body's deadline runs.
        try connection.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n")
        #expect(try connection.readResponse(bodyExpected: false).status == 100)
        // A byte every 10 s keeps the body from stalling but never finishes it in time.
        for _ in 0..<6 {
            try connection.send("x")
            clock.advance(by: .seconds(10))
        }
        clock.advance(by: Self.sweep)
        let response = try connection.readResponse()
        expectProblem(response, status: 408, code: "REQUEST_TIMEOUT")
        #expect(response.text.contains("did not arrive whole within"))
        #expect(try connection.isClosedByPeer())
    }

    @Test func idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws {
        let clock = ManualClock()
        let server = try manualServer(clock) { $0.idleTimeout = .seconds(60) }
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try connection.readResponse().status == 200)
        clock.advance(by: .seconds(60) + Self.sweep)
        #expect(try connection.isClosedByPeer())
    }

    @Test func slowReaderOfALargeAnswerIsNotCutOffByTheIdleTimeout() throws {
        let server = try TestServer(responder: EchoResponder()) { $0.idleTimeout = .milliseconds(150) }
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET /big HTTP/1.1\r\nHost: t\r\nX-Body-Size: 4000000\r\n\r\n")
        // Reads trickle in 64 KiB steps over about a second, far past the 150 ms idle timeout.
        connection.pauseBetweenReads = .milliseconds(20)
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.body.count == Int(response.header("content-length") ?? "") ?? -1)
        #expect(response.body.count > 4_000_000)
    }

    @Test func connectionsOverTheMaximumAreRefusedWithoutHarmingOpenOnes() throws {
        let server = try TestServer(responder: EchoResponder()) { $0.maxConnections = 3 }
        defer { server.stop() }
        let open = try (0..<3).map { _ in try server.connect() }
        for connection in open {
            try connection.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try connection.readResponse().status == 200)
        }
        let extra = try server.connect()
        let refused = try extra.readResponse()
        expectProblem(refused, status: 503, code: "UNAVAILABLE")
        #expect(refused.header("retry-after") == "5")
        #expect(try extra.isClosedByPeer())
        for connection in open {
            try connection.send("GET /still HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try connection.readResponse().status == 200)
        }
        #expect(server.server.statistics.refusedConnections == 1)
    }
}
