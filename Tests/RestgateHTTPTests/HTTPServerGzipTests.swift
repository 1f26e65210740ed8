import RestgateHTTP
import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

/// gzip negotiation for responses and gzip request bodies, checked by a separate inflater.
@Suite struct HTTPServerGzipTests {
    private func get(_ server: TestServer, acceptEncoding: String?, size: Int = 2000, method: String = "GET") throws -> RawResponse {
        let connection = try server.connect()
        let accept = acceptEncoding.map { "Accept-Encoding: \($0)\r\n" } ?? ""
        try connection.send("\(method) /g HTTP/1.1\r\nHost: t\r\nX-Body-Size: \(size)\r\n\(accept)\r\n")
        return try connection.readResponse(bodyExpected: method != "HEAD")
    }

    @Test func largeJSONIsCompressedWhenGzipIsAccepted() throws {
        let server = try TestServer(responder: EchoResponder(), compressed: true)
        defer { server.stop() }
        let plain = try get(server, acceptEncoding: nil)
        let compressed = try get(server, acceptEncoding: "gzip, deflate")
        #expect(plain.header("content-encoding") == nil)
        #expect(plain.header("vary") == "Accept-Encoding")
        #expect(compressed.header("content-encoding") == "gzip")
        #expect(compressed.header("vary") == "Accept-Encoding")
        #expect(compressed.body.count < plain.body.count / 4)
        #expect(try TestGzip.decompress(compressed.body) == plain.body)
    }

    @Test(arguments: [
        ("gzip;q=0", false),
        ("identity", false),
        ("br, deflate", false),
        ("*", true),
        ("*;q=0.5, identity;q=0.2", true),
        ("gzip;q=0.4, identity;q=0.9", false),
        ("GZip;Q=0.001", true),
    ])
    func qValuesDecide(header: String, gzipped: Bool) throws {
        let server = try TestServer(responder: EchoResponder(), compressed: true)
        defer { server.stop() }
        let response = try get(server, acceptEncoding: header)
        #expect((response.header("content-encoding") == "gzip") == gzipped)
        if gzipped { _ = try TestGzip.decompress(response.body) }
    }

    @Test func bodiesUnderTheThresholdStayPlainUnlessIdentityIsRefused() throws {
        let server = try TestServer(responder: EchoResponder(), compressed: true) { $0.gzipMinimumBytes = 1000 }
        defer { server.stop() }
        #expect(try get(server, acceptEncoding: "gzip", size: 100).header("content-encoding") == nil)
        let forced = try get(server, acceptEncoding: "gzip, identity;q=0", size: 100)
        #expect(forced.header("content-encoding") == "gzip")
        #expect(try TestGzip.decompress(forced.body).count > 100)
    }

    @Test func headAnd204AreNeverCompressed() throws {
        let server = try TestServer(responder: EchoResponder(), compressed: true)
        defer { server.stop() }
        let head = try get(server, acceptEncoding: "gzip", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.header("content-encoding") == nil)
        let connection = try server.connect()
        try connection.send("GET / HTTP/1.1\r\nHost: t\r\nX-Status: 204\r\nX-Body-Size: 2000\r\nAccept-Encoding: gzip\r\n\r\n")
        let noContent = try connection.readResponse()
        #expect(noContent.status == 204)
        #expect(noContent.header("content-encoding") == nil)
        #expect(noContent.header("content-length") == nil)
    }

    @Test func nonTextualTypesAreNotCompressed() throws {
        let server = try TestServer(responder: EchoResponder(), compressed: true)
        defer { server.stop() }
        let connection = try server.connect()
        try connection.send("GET / HTTP/1.1\r\nHost: t\r\nX-Body-Size: 2000\r\nX-Content-Type: image/png\r\nAccept-Encoding: gzip\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.header("content-encoding") == nil)
        #expect(response.header("vary") == nil)
    }

    @Test func gzipRequestBodyIsInflatedForTheHandler() throws {
        let server = try TestServer(responder: EchoResponder(), compressed: true)
        defer { server.stop() }
        let json = Array(#"{"organizationName":"Acme AS"}"#.utf8)
        let body = try TestGzip.compress(json)
        let connection = try server.connect()
        try connection.send(
            Array("POST /i HTTP/1.1\r\nHost: t\r\nContent-Encoding: gzip\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text.contains(#""bodyBytes":\#(json.count)"#))
        #expect(response.text.contains(#"Acme AS"#))
    }

    @Test func gzipBombIs413AndTheConnectionSurvives() throws {
        let server = try TestServer(responder: EchoResponder(), compressed: true) { $0.maxBodyBytes = 65536 }
        defer { server.stop() }
        let bomb = try TestGzip.compress([UInt8](repeating: 0, count: 10 << 20), level: 9)
        #expect(bomb.count < 65536)
        let connection = try server.connect()
        try connection.send(
            Array("POST /i HTTP/1.1\r\nHost: t\r\nContent-Encoding: gzip\r\nContent-Length: \(bomb.count)\r\n\r\n".utf8) + bomb)
        let response = try connection.readResponse()
        #expect(response.status == 413)
        #expect(response.text.contains(#""code":"PAYLOAD_TOO_LARGE""#))
        try connection.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try connection.readResponse().status == 200)
    }

    @Test func corruptGzipIs400AndUnknownCodingIs415() throws {
        let server = try TestServer(responder: EchoResponder(), compressed: true)
        defer { server.stop() }
        let corrupt = try server.request("POST / HTTP/1.1\r\nHost: t\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd")
        #expect(corrupt.status == 400)
        #expect(corrupt.text.contains("not valid gzip"))
        let unknown = try server.request("POST / HTTP/1.1\r\nHost: t\r\nContent-Encoding: br\r\nContent-Length: 4\r\n\r\nabcd")
        #expect(unknown.status == 415)
        #expect(unknown.text.contains(#""code":"UNSUPPORTED_MEDIA_TYPE""#))
    }
}
