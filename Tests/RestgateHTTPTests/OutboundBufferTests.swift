import CLinux
import Testing

@testable import RestgateServer

#if canImport(Glibc)
    import Glibc
#endif

/// The outbound buffer lends unsent bytes in order and drops exactly what was written.
@Suite struct OutboundBufferTests {
    private func lent(_ buffer: OutboundBuffer) -> [[UInt8]] {
        buffer.withVectors { vectors in
            vectors.map { Array(UnsafeRawBufferPointer(start: $0.iov_base, count: $0.iov_len)) }
        }
    }

    @Test func partialWritesResumeInsideAChunk() {
        var buffer = OutboundBuffer()
        buffer.append(Array("head".utf8))
        buffer.append(Array("body!".utf8))
        buffer.append([])
        #expect(buffer.count == 9)
        #expect(lent(buffer) == [Array("head".utf8), Array("body!".utf8)])
        buffer.advance(by: 6)
        #expect(buffer.count == 3)
        #expect(lent(buffer) == [Array("dy!".utf8)])
        buffer.advance(by: 3)
        #expect(buffer.isEmpty && buffer.count == 0)
    }

    @Test func oneSendTakesAtMostSixteenChunks() {
        var buffer = OutboundBuffer()
        for index in 0..<40 { buffer.append([UInt8(index)]) }
        #expect(lent(buffer).count == OutboundBuffer.maxVectors)
        buffer.advance(by: 16)
        #expect(lent(buffer).first == [16])
        #expect(buffer.removeAll() == 24)
        #expect(buffer.isEmpty)
    }
}
