import RestgateHTTP
import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

/// Request-smuggling shapes: each is refused with a problem and the connection closed, and
/// nothing after it on the connection is ever answered as a second request.
@Suite struct HTTPServerSmugglingTests {
    @Test(arguments: [
        ("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", 400),
        ("Transfer-Encoding: chunked\r\nContent-Length: 6\r\n", 400),
        ("Content-Length: 6\r\nContent-Length: 6\r\n", 400),
        ("Content-Length: 6\r\nContent-Length: 7\r\n", 400),
        ("Content-Length: 6, 6\r\n", 400),
        ("Content-Length: -1\r\n", 400),
        ("Transfer-Encoding: gzip, chunked\r\n", 501),
        ("Transfer-Encoding: chunked, gzip\r\n", 400),
        ("Transfer-Encoding: identity\r\n", 400),
        ("Transfer-Encoding : chunked\r\n", 400),
        ("Transfer-Encoding:\u{0B}chunked\r\n", 400),
        (" Transfer-Encoding: chunked\r\n", 400),
    ])
    func ambiguousFramingIsRefusedAndCloses(headers: String, status: Int) throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("POST / HTTP/1.1\r\nHost: t\r\n\(headers)\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == status)
        #expect(response.header("connection") == "close")
        #expect(response.header("content-type") == "application/problem+json")
        let rest = String(decoding: try connection.readToEnd(), as: UTF8.self)
        #expect(!rest.contains("smuggled"))
    }

    @Test func transferEncodingInHTTP10IsRefused() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let response = try server.request("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        #expect(response.status == 400)
    }

    @Test func badChunkSizeIsRefusedAndCloses() throws {
        let server = try TestServer(responder: EchoResponder())
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 400)
        #expect(response.text.contains("chunk size"))
        #expect(try connection.isClosedByPeer())
    }
}
