import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

private func decode(_ text: String, maxBody: Int = 1000, pieces: Int = 1) throws(HTTPParseError) -> (
    body: String, consumed: Int, decoder: ChunkedDecoder
) {
    var decoder = ChunkedDecoder(limits: ChunkedBodyLimits(maxBodyBytes: maxBody, maxTrailerBytes: 100, maxTrailerCount: 2))
    var body: [UInt8] = []
    let bytes = Array(text.utf8)
    var consumed = 0
    let step = max(1, bytes.count / pieces)
    var start = 0
    while start < bytes.count, !decoder.isComplete {
        let end = min(bytes.count, start + step)
        let slice = Array(bytes[start..<end])
        let taken = try slice.withUnsafeBufferPointer { buffer throws(HTTPParseError) -> Int in try decoder.decode(buffer, into: &body) }
        consumed += taken
        start = end
    }
    return (String(decoding: body, as: UTF8.self), consumed, decoder)
}

private func decodeError(_ text: String, maxBody: Int = 1000) -> HTTPParseError? {
    do {
        _ = try decode(text, maxBody: maxBody)
        return nil
    } catch {
        return error
    }
}

@Suite struct ChunkedDecoderTests {
    @Test func chunksWithExtensionsAndTrailersAreDecoded() throws {
        let text = "5;name=value\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\nNEXT"
        for pieces in [1, 2, 7, text.utf8.count] {
            let (body, consumed, decoder) = try decode(text, pieces: pieces)
            #expect(body == "hello world")
            #expect(consumed == text.utf8.count - 4)
            #expect(decoder.isComplete)
            #expect(decoder.trailers["x-checksum"] == "abc")
            #expect(decoder.trailers.count == 2)
        }
    }

    @Test func upperCaseHexSizesAreRead() throws {
        #expect(try decode("A\r\n0123456789\r\n0\r\n\r\n").body == "0123456789")
    }

    @Test func bodyLimitIsEnforcedFromTheDeclaredSize() {
        #expect(decodeError("10\r\n", maxBody: 15) == .bodyTooLarge)
        #expect(decodeError("8\r\n12345678\r\n8\r\n", maxBody: 15) == .bodyTooLarge)
    }

    @Test func malformedChunksAreRejected() {
        #expect(decodeError("zz\r\n") == .invalidChunkSize)
        #expect(decodeError("\r\n") == .invalidChunkSize)
        #expect(decodeError("1234567890123456\r\n") == .invalidChunkSize)
        #expect(decodeError("5 x\r\n") == .invalidChunkSize)
        #expect(decodeError("5;a\u{1}\r\n") == .invalidChunkExtension)
        #expect(decodeError("3\r\nabcX\r\n") == .invalidChunkTerminator)
        #expect(decodeError("3\nabc") == .bareLineFeed)
        #expect(decodeError("0\r\nBad Trailer\r\n\r\n") == .malformedHeaderField)
        #expect(decodeError("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n") == .trailerSectionTooLarge)
        #expect(decodeError("0\r\nA: \(String(repeating: "x", count: 200))\r\n\r\n") == .trailerSectionTooLarge)
    }
}
