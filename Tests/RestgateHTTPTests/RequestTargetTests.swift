import Testing

@testable import RestgateHTTP

@Suite struct RequestTargetTests {
    @Test(
        arguments: [
            ("/invitations", "/invitations", nil),
            ("/invitations?limit=5&cursor=a%3Fb", "/invitations", "limit=5&cursor=a%3Fb"),
            ("/a?", "/a", ""),
            ("/a??b", "/a", "?b"),
            ("http://example.com:8080/a/b?c=d", "/a/b", "c=d"),
            ("HTTPS://Example.com/a", "/a", nil),
            ("http://example.com", "/", nil),
            ("http://example.com?x=1", "/", "x=1"),
            ("/caf\u{e9}/\u{1F600}?q=\u{e9}", "/caf\u{e9}/\u{1F600}", "q=\u{e9}"),
        ] as [(String, String, String?)])
    func splitsPathAndQuery(target: String, path: String, query: String?) {
        let split = RequestTarget.split(target)
        #expect(split.path == path)
        #expect(split.query == query)
    }

    @Test func schemesAreMatchedWithoutRegardToCase() {
        #expect(RequestTarget.isAcceptable("hTTp://host/x", method: .get))
        #expect(!RequestTarget.isAcceptable("ftp://host/x", method: .get))
        #expect(!RequestTarget.isAcceptable("http:/host", method: .get))
        #expect(!RequestTarget.isAcceptable("/a#b", method: .get))
    }

    @Test func asciiCaseFoldingComparesWholeNamesOnly() {
        #expect(ByteClass.equalIgnoringCase("Content-Type", "content-type"))
        #expect(!ByteClass.equalIgnoringCase("Content-Type", "content-typ"))
        #expect(!ByteClass.equalIgnoringCase("Content-Typ", "content-type"))
        #expect(!ByteClass.equalIgnoringCase("K", "\u{212A}"))  // KELVIN SIGN folds to k only in Unicode
        #expect(ByteClass.hasPrefixIgnoringCase("HTTPS://x", "https://"))
        #expect(!ByteClass.hasPrefixIgnoringCase("http", "http://"))
        #expect(ByteClass.hasPrefixIgnoringCase("abc", ""))
        #expect(!ByteClass.hasPrefixIgnoringCase("hTtP:/x", "https"))
    }
}
