import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

@Suite struct GzipTests {
    @Test func compressedBodiesOfEverySizeRoundTrip() throws {
        let compressor = GzipCompressor(level: 1)
        for size in [1, 100, 511, 512, 4000, 40000, 200_000] {
            let input = (0..<size).map { UInt8(truncatingIfNeeded: ($0 * 7) % 61 + 32) }
            let compressed = compressor.compress(input)
            #expect(compressed.prefix(2) == [0x1F, 0x8B])
            #expect(try TestGzip.decompress(compressed) == input)
        }
    }

    @Test func windowSizeFollowsTheBody() {
        #expect(GzipCompressor.windowBits(for: 10) == 9)
        #expect(GzipCompressor.windowBits(for: 1000) == 10)
        #expect(GzipCompressor.windowBits(for: 5000) == 13)
        #expect(GzipCompressor.windowBits(for: 1 << 20) == 15)
    }

    @Test func decompressorEnforcesItsLimitAndRejectsGarbage() throws {
        let decompressor = GzipDecompressor()
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let bomb = try TestGzip.compress(zeros, level: 9)
        #expect(bomb.count < 2000)
        #expect(throws: GzipError.tooLarge) { try decompressor.decompress(bomb, limit: 100_000) }
        #expect(try decompressor.decompress(bomb, limit: 1 << 20).count == 1 << 20)
        #expect(throws: GzipError.corrupt) { try decompressor.decompress(Array("not gzip".utf8), limit: 100) }
        #expect(throws: GzipError.corrupt) { try decompressor.decompress(Array(bomb.prefix(bomb.count / 2)), limit: 1 << 21) }
        let twoMembers = try TestGzip.compress(Array("ab".utf8)) + TestGzip.compress(Array("cd".utf8))
        #expect(try decompressor.decompress(twoMembers, limit: 100) == Array("abcd".utf8))
    }
}
