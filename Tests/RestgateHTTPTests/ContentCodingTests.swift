import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

@Suite struct ContentCodingTests {
    private func choose(_ header: String?, size: Int = 1000, threshold: Int = 256) -> ContentCoding {
        ContentCoding.choose(ContentCoding.Preferences(acceptEncoding: header.map { [$0] } ?? []), size: size, threshold: threshold)
    }

    @Test func gzipIsChosenWhenAcceptedAndLargeEnough() {
        #expect(choose("gzip") == .gzip)
        #expect(choose("deflate, gzip;q=0.8, br") == .gzip)
        #expect(choose("x-gzip") == .gzip)
        #expect(choose("*") == .gzip)
        #expect(choose("GZIP;Q=1.0") == .gzip)
    }

    @Test func identityIsChosenWhenGzipIsRefusedOrAbsent() {
        #expect(choose(nil) == .identity)
        #expect(choose("") == .identity)
        #expect(choose("gzip;q=0") == .identity)
        #expect(choose("deflate, br") == .identity)
        #expect(choose("*;q=0, identity") == .identity)
        #expect(choose("gzip;q=0.5, identity;q=0.9") == .identity)
        #expect(choose("gzip;q=abc") == .identity)
        #expect(choose("gzip;q=1.5") == .identity)
    }

    @Test func smallBodiesStayIdentityUnlessIdentityIsRefused() {
        #expect(choose("gzip", size: 100) == .identity)
        #expect(choose("gzip, identity;q=0", size: 100) == .gzip)
        #expect(choose("gzip, *;q=0", size: 100) == .gzip)
    }

    /// A single header value is read by a byte scan when it is a plain list; given twice it
    /// takes the full parse, which must agree.
    @Test(arguments: [
        "gzip", "GZip", "gzip, deflate, br", " br ,x-gzip ", "deflate", "", ",,", "gz ip", "gzip;q=0", "identity", "*",
        "gzip, *", "identity, gzip", "gzipgzipgzipgzipgzip", "br, zstd, gzip", "\tgzip\t",
    ])
    func thePlainListScanAgreesWithTheFullParse(_ value: String) {
        #expect(ContentCoding.Preferences(acceptEncoding: [value]) == ContentCoding.Preferences(acceptEncoding: [value, value]))
    }
}
