import RestgateHTTP
import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

/// Keep-alive, pipelining, HTTP/1.0, HEAD, 100-continue, request ids: over real sockets.
@Suite struct HTTPServerConnectionTests {
    @Test func keepAliveReusesOneConnection() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        for path in ["/one", "/two", "/three"] {
            try connection.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.header("connection") == nil)
            #expect(response.text.contains(#""path":"\#(path)""#))
        }
        #expect(server.server.statistics.acceptedConnections == 1)
        #expect(server.server.statistics.requestsServed == 3)
    }

    @Test func everyResponseCarriesDateServerLengthAndRequestID() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let response = try server.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.header("server") == "restgate")
        #expect(response.header("date")?.hasSuffix(" GMT") == true)
        #expect(response.header("date")?.count == 29)
        #expect(response.header("content-length") == String(response.body.count))
        #expect(response.header("x-request-id")?.count == 36)
    }

    @Test func saneRequestIDIsEchoedAndAnInsaneOneReplaced() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let echoed = try server.request("GET / HTTP/1.1\r\nHost: t\r\nX-Request-ID: batch-42.job:7\r\n\r\n")
        #expect(echoed.header("x-request-id") == "batch-42.job:7")
        let replaced = try server.request("GET / HTTP/1.1\r\nHost: t\r\nX-Request-ID: has spaces and <tags>\r\n\r\n")
        #expect(replaced.header("x-request-id")?.count == 36)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        // The first takes longest: answers must still come back first-in, first-out.
        try connection.send(
            "GET /slow HTTP/1.1\r\nHost: t\r\nX-Delay-Ms: 150\r\n\r\n"
                + "POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n")
        let paths = try (0..<3).map { _ in try connection.readResponse().text }
        #expect(paths[0].contains(#""path":"/slow""#))
        #expect(paths[1].contains(#""path":"/body""#) && paths[1].contains(#""body":"hello""#))
        #expect(paths[2].contains(#""path":"/fast""#))
    }

    @Test func pipelinedRequestsResumeAfterLargeAnswersDrain() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        // Eight 100 KB answers exceed the 256 KiB of unsent output the server allows itself.
        let burst = (0..<8).map { "GET /big/\($0) HTTP/1.1\r\nHost: t\r\nX-Body-Size: 100000\r\n\r\n" }.joined()
        try connection.send(burst)
        for index in 0..<8 {
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text.contains(#""path":"/big/\#(index)""#))
        }
    }

    @Test func everyRequestBufferedBeforeAHalfCloseIsAnswered() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send(
            "GET /a HTTP/1.1\r\nHost: t\r\nX-Delay-Ms: 50\r\n\r\nPOST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi"
                + "GET /c HTTP/1.1\r\nHost: t\r\n\r\n")
        connection.shutdownWrite()
        for path in ["/a", "/b", "/c"] {
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text.contains(#""path":"\#(path)""#))
        }
        #expect(try connection.isClosedByPeer())
    }

    @Test func connectionCloseIsHonoured() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.header("connection") == "close")
        #expect(try connection.isClosedByPeer())
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let plain = try server.connect()
        try plain.send("GET /a HTTP/1.0\r\n\r\n")
        let first = try plain.readResponse()
        #expect(first.status == 200)
        #expect(first.header("connection") == "close")
        #expect(try plain.isClosedByPeer())

        let kept = try server.connect()
        for _ in 0..<2 {
            try kept.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try kept.readResponse()
            #expect(response.status == 200)
            #expect(response.header("connection") == "keep-alive")
        }
    }

    @Test func headIsAnsweredWithoutABodyButWithItsLength() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET /same HTTP/1.1\r\nHost: t\r\n\r\n")
        let get = try connection.readResponse()
        try connection.send("HEAD /same HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n")
        let head = try connection.readResponse(bodyExpected: false)
        #expect(head.status == 200)
        #expect(head.header("content-encoding") == nil)
        // The echo names the method, and "HEAD" is one byte longer than "GET".
        #expect(head.header("content-length") == String(get.body.count + 1))
        // The next response arriving intact proves no body bytes followed the HEAD answer.
        try connection.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try connection.readResponse().text.contains(#""path":"/after""#))
    }

    @Test func expectContinueGetsAnInterimResponseBeforeTheBody() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = try connection.readResponse()
        #expect(interim.status == 100)
        try connection.send("data")
        let final = try connection.readResponse()
        #expect(final.status == 200)
        #expect(final.text.contains(#""body":"data""#))
    }

    @Test func unknownExpectationIs417() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let response = try server.request("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nExpect: magic\r\n\r\nx")
        #expect(response.status == 417)
        #expect(response.text.contains(#""code":"EXPECTATION_FAILED""#))
    }

    @Test func chunkedBodyWithTrailersIsDecoded() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
        try connection.send("4;note=first\r\nWiki\r\n")
        try connection.send("5\r\npedia\r\n0\r\nX-Checksum: 42\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text.contains(#""body":"Wikipedia""#))
        #expect(response.text.contains(#""trailers":{"x-checksum":"42"}"#))
        try connection.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try connection.readResponse().status == 200)
    }

    @Test func halfClosedClientStillGetsItsAnswer() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET /half HTTP/1.1\r\nHost: t\r\nX-Delay-Ms: 50\r\n\r\n")
        connection.shutdownWrite()
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(try connection.isClosedByPeer())
    }
}
