import RestgateTestSupport

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

/// The headers of `GET / HTTP/1.1` with `Host: host` and `lines` (each ending in CRLF), as
/// the server's parser reads them; empty when they do not parse.
func parsedHeaders(_ lines: String, host: String = "t") -> HTTPHeaders {
    var parser = RequestHeadParser()
    let bytes = Array("GET / HTTP/1.1\r\nHost: \(host)\r\n\(lines)\r\n".utf8)
    guard case .complete(let head, _) = bytes.withUnsafeBufferPointer({ parser.parse($0) }) else { return HTTPHeaders() }
    return head.headers
}
