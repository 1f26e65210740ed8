import RestgateTestSupport
import Testing

@testable import RestgateHTTP

@Suite struct TrustedProxiesTests {
    private func headers(_ lines: String) -> HTTPHeaders { parsedHeaders(lines, host: "gw.example:8443") }

    @Test func rangesMatchAddressesOfTheirFamily() throws {
        let network = try #require(AddressRange("10.1.0.0/16"))
        #expect(network.contains("10.1.255.7"))
        #expect(!network.contains("10.2.0.1"))
        #expect(try #require(AddressRange("127.0.0.1")).contains("::ffff:127.0.0.1"))
        #expect(try #require(AddressRange("fd00::/8")).contains("fd12::1"))
        #expect(!(try #require(AddressRange("fd00::/8"))).contains("10.1.0.1"))
        #expect(AddressRange("10.0.0.0/33") == nil)
        #expect(AddressRange("example.com") == nil)
    }

    @Test func forwardingHeadersAreBelievedOnlyFromTrustedPeers() throws {
        let trusted = [try #require(AddressRange("127.0.0.1")), try #require(AddressRange("10.0.0.0/8"))]
        let forwarded = headers("X-Forwarded-For: 203.0.113.7, 10.0.0.5\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: api.example\r\n")
        let believed = ForwardedRequest.resolve(peer: "127.0.0.1", headers: forwarded, trusted: trusted)
        #expect(believed == ForwardedRequest(clientAddress: "203.0.113.7", scheme: "https", authority: "api.example"))
        let spoofed = ForwardedRequest.resolve(peer: "198.51.100.9", headers: forwarded, trusted: trusted)
        #expect(spoofed == ForwardedRequest(clientAddress: "198.51.100.9", scheme: "http", authority: "gw.example:8443"))
    }

    @Test func rfc7239ForwardedIsRead() throws {
        let trusted = [try #require(AddressRange("127.0.0.1"))]
        let standard = headers(#"Forwarded: for="[2001:db8::1]:4711";proto=https;host=api.example, for=127.0.0.1"# + "\r\n")
        let resolved = ForwardedRequest.resolve(peer: "127.0.0.1", headers: standard, trusted: trusted)
        #expect(resolved == ForwardedRequest(clientAddress: "[2001:db8::1]", scheme: "https", authority: "api.example"))
        let injected = headers("X-Forwarded-Host: evil.example/<script>\r\n")
        #expect(ForwardedRequest.resolve(peer: "127.0.0.1", headers: injected, trusted: trusted).authority == "gw.example:8443")
    }
}
