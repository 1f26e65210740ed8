import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

private func parse(_ text: String, limits: RequestHeadLimits = RequestHeadLimits()) -> RequestHeadParseResult {
    var parser = RequestHeadParser(limits: limits)
    return Array(text.utf8).withUnsafeBufferPointer { parser.parse($0) }
}

private func head(_ text: String) throws -> (RequestHead, Int) {
    guard case .complete(let head, let length) = parse(text) else {
        throw ParseExpectation.notComplete("\(parse(text))")
    }
    return (head, length)
}

private func failure(_ text: String, limits: RequestHeadLimits = RequestHeadLimits()) -> HTTPParseError? {
    if case .failed(let error) = parse(text, limits: limits) { return error }
    return nil
}

private enum ParseExpectation: Error {
    case notComplete(String)
}

@Suite struct RequestHeadParserTests {
    @Test func simpleGetIsParsedWithPathQueryAndHeaders() throws {
        let text = "GET /invitations?vatNumber=NO1&x=%2B HTTP/1.1\r\nHost: a\r\nX-Two: 1\r\nx-two: 2\r\n\r\n"
        let (request, length) = try head(text + "extra")
        #expect(length == text.utf8.count)
        #expect(request.method == .get)
        #expect(request.path == "/invitations")
        #expect(request.query == "vatNumber=NO1&x=%2B")
        #expect(request.version == .http1_1)
        #expect(request.headers["HOST"] == "a")
        #expect(request.headers.values("X-TWO") == ["1", "2"])
        #expect(request.headers.count == 3)
    }

    @Test func headerValuesAreTrimmedOfOptionalWhitespace() throws {
        let (request, _) = try head("GET / HTTP/1.1\r\nHost: a\r\nX-Pad: \t value with spaces \t\r\n\r\n")
        #expect(request.headers["x-pad"] == "value with spaces")
    }

    @Test func incompleteHeadAsksForMoreAndResumes() throws {
        let full = Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc".utf8)
        var parser = RequestHeadParser()
        let headLength = full.count - 3
        for end in 1..<headLength {
            let result = full.withUnsafeBufferPointer { parser.parse(UnsafeBufferPointer(rebasing: $0[0..<end])) }
            guard case .needMoreData = result else {
                Issue.record("expected needMoreData at \(end), got \(result)")
                return
            }
        }
        let result = full.withUnsafeBufferPointer { parser.parse($0) }
        guard case .complete(let request, let length) = result else {
            Issue.record("not complete: \(result)")
            return
        }
        #expect(length == headLength)
        #expect(request.headers["content-length"] == "3")
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        let text = "\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n"
        let (request, length) = try head(text)
        #expect(request.path == "/a")
        #expect(request.method == .get)
        #expect(length == text.utf8.count)
    }

    @Test func absoluteFormIsReducedToItsPath() throws {
        let (request, _) = try head("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n\r\n")
        #expect(request.path == "/a/b")
        #expect(request.query == "c=d")
    }

    @Test func asteriskIsOnlyForOptions() throws {
        let (request, _) = try head("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(request.target == "*")
        #expect(failure("GET * HTTP/1.1\r\nHost: a\r\n\r\n") == .invalidTarget)
    }

    @Test func http10NeedsNoHostButHttp11Does() throws {
        let (request, _) = try head("GET / HTTP/1.0\r\n\r\n")
        #expect(request.version == .http1_0)
        #expect(!request.wantsKeepAlive)
        #expect(failure("GET / HTTP/1.1\r\n\r\n") == .missingHost)
        #expect(failure("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == .repeatedHost)
    }

    @Test func keepAliveFollowsVersionAndConnectionHeader() throws {
        #expect(try head("GET / HTTP/1.1\r\nHost: a\r\n\r\n").0.wantsKeepAlive)
        #expect(try !head("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n").0.wantsKeepAlive)
        #expect(try head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").0.wantsKeepAlive)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\nHost: a\n\n", HTTPParseError.bareLineFeed),
        ("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", .bareLineFeed),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .malformedHeaderField),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\n: empty\r\n\r\n", .malformedHeaderField),
        ("GET / HTTP/1.1\r\nHost: a\u{1}b\r\n\r\n", .malformedHeaderField),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
        ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        (" GET / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
        ("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
        ("GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
        ("GET /\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
    ])
    func malformedHeadsAreRejected(text: String, expected: HTTPParseError) {
        #expect(failure(text) == expected)
        #expect(expected.status == (expected == .unsupportedVersion ? 505 : 400))
    }

    @Test func targetOverTheLimitIs414EvenBeforeTheLineEnds() {
        let limits = RequestHeadLimits(maxTargetLength: 100, maxHeaderBytes: 1000, maxHeaderCount: 10)
        let long = "/" + String(repeating: "a", count: 100)
        #expect(failure("GET \(long) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == .uriTooLong)
        #expect(failure("GET \(long)\(String(repeating: "b", count: 100))", limits: limits) == .uriTooLong)
        #expect(failure("GET /\(String(repeating: "a", count: 99)) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == nil)
    }

    @Test func overlongMethodIsRefusedWholeOrSplit() {
        let limits = RequestHeadLimits(maxTargetLength: 100, maxHeaderBytes: 1000, maxHeaderCount: 10)
        let text = "\(String(repeating: "M", count: 33)) / HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(failure(text, limits: limits) == .invalidMethod)
        #expect(failure("\(String(repeating: "M", count: 32)) / HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == nil)
    }

    @Test func headerSectionOverTheLimitIs431() {
        let limits = RequestHeadLimits(maxTargetLength: 100, maxHeaderBytes: 64, maxHeaderCount: 3)
        #expect(
            failure("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "v", count: 80))\r\n\r\n", limits: limits)
                == .headerSectionTooLarge)
        #expect(failure("GET / HTTP/1.1\r\nX: \(String(repeating: "v", count: 80))", limits: limits) == .headerSectionTooLarge)
        #expect(failure("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits) == .tooManyHeaderFields)
        #expect(failure("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits) == nil)
    }
}

@Suite struct BodyFramingTests {
    private func framing(_ headers: String, version: String = "1.1") throws -> BodyFraming {
        try head("POST / HTTP/\(version)\r\nHost: a\r\n\(headers)\r\n").0.bodyFraming()
    }

    private func framingError(_ headers: String, version: String = "1.1") -> HTTPParseError? {
        do {
            _ = try framing(headers, version: version)
            return nil
        } catch let error as HTTPParseError {
            return error
        } catch {
            return nil
        }
    }

    @Test func lengthChunkedAndNone() throws {
        #expect(try framing("Content-Length: 12\r\n") == .contentLength(12))
        #expect(try framing("Content-Length: 0\r\n") == BodyFraming.none)
        #expect(try framing("") == BodyFraming.none)
        #expect(try framing("Transfer-Encoding: Chunked\r\n") == .chunked)
    }

    @Test func smugglingShapesAreRefused() {
        #expect(framingError("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n") == .conflictingFraming)
        #expect(framingError("Content-Length: 3\r\nContent-Length: 3\r\n") == .repeatedContentLength)
        #expect(framingError("Content-Length: 3, 3\r\n") == .invalidContentLength)
        #expect(framingError("Content-Length: +3\r\n") == .invalidContentLength)
        #expect(framingError("Content-Length: 0x10\r\n") == .invalidContentLength)
        #expect(framingError("Content-Length: 99999999999999999999\r\n") == .invalidContentLength)
        #expect(framingError("Transfer-Encoding: gzip, chunked\r\n") == .unsupportedTransferCoding)
        #expect(framingError("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") == .unsupportedTransferCoding)
        #expect(framingError("Transfer-Encoding: chunked, identity\r\n") == .chunkedNotFinal)
        #expect(framingError("Transfer-Encoding: xchunked\r\n") == .chunkedNotFinal)
        #expect(framingError("Transfer-Encoding: chunked\r\n", version: "1.0") == .transferEncodingInHTTP10)
    }
}
