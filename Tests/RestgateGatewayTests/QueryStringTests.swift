import RestgateTestSupport
import Testing

@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateSandbox
@testable import RestgateServer
@testable import RestgateUpstream

@Suite struct QueryStringTests {
    @Test func onlyReservedAndNonASCIIBytesAreEscaped() {
        #expect(QueryString.encode("3f2b8c1e-5d4a-4e6f-9b7c-1a2d3e4f5a6b") == "3f2b8c1e-5d4a-4e6f-9b7c-1a2d3e4f5a6b")
        #expect(QueryString.encode("A.z_0~") == "A.z_0~")
        #expect(QueryString.encode("a b/ü+&=") == "a%20b%2F%C3%BC%2B%26%3D")
        #expect(QueryString.encode("") == "")
    }

    /// `&` and `=` separate by their bytes, even before a combining mark (one Character).
    @Test func separatorsBeforeACombiningMarkStillSeparate() throws {
        let query = try QueryString("a=\u{0301}x&\u{0301}b=2")
        #expect(query.parameters.map(\.name) == ["a", "\u{0301}b"])
        #expect(query["a"] == "\u{0301}x")
    }
}
