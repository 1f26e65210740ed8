import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

@Suite struct ForwardedRequestTests {
    private func headers(_ lines: String) -> HTTPHeaders { parsedHeaders(lines, host: "gw.example:8443") }
    private let loopback = [AddressRange("127.0.0.1")!]

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
        #expect(believed.request == ForwardedRequest(clientAddress: "203.0.113.7", scheme: "https", authority: "api.example"))
        #expect(believed.ignored == [])
        let spoofed = ForwardedRequest.resolve(peer: "198.51.100.9", headers: forwarded, trusted: trusted)
        #expect(spoofed.request == ForwardedRequest(clientAddress: "198.51.100.9", scheme: "http", authority: "gw.example:8443"))
    }

    @Test func rfc7239ForwardedIsReadWhenItIsTheChosenFamily() throws {
        let standard = headers(#"Forwarded: for="[2001:db8::1]:4711";proto=https;host=api.example, for=127.0.0.1"# + "\r\n")
        let resolved = ForwardedRequest.resolve(peer: "127.0.0.1", headers: standard, trusted: loopback, family: .forwarded)
        #expect(resolved.request == ForwardedRequest(clientAddress: "2001:db8::1", scheme: "https", authority: "api.example"))
        let injected = headers("X-Forwarded-Host: evil.example/<script>\r\n")
        let refused = ForwardedRequest.resolve(peer: "127.0.0.1", headers: injected, trusted: loopback)
        #expect(refused.request.authority == "gw.example:8443")
        #expect(refused.ignored == ["X-Forwarded-Host"])
    }

    @Test func onlyTheChosenFamilyIsBelievedNeverBothMixed() throws {
        // Behind nginx (x-forwarded), a client's own Forwarded header changes nothing.
        let both = headers(
            "Forwarded: for=198.51.100.66;proto=https;host=evil.example\r\nX-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: http\r\n")
        let nginx = ForwardedRequest.resolve(peer: "127.0.0.1", headers: both, trusted: loopback, family: .xForwarded)
        #expect(nginx.request == ForwardedRequest(clientAddress: "203.0.113.7", scheme: "http", authority: "gw.example:8443"))
        let rfc = ForwardedRequest.resolve(peer: "127.0.0.1", headers: both, trusted: loopback, family: .forwarded)
        #expect(rfc.request == ForwardedRequest(clientAddress: "198.51.100.66", scheme: "https", authority: "evil.example"))
    }

    static let malformedForwarded = [
        "for=:", "for=", "for", "=", ";", ",", "for=\"", "for=\"[\"", "for=\"[]\"", "for=\"[::1\"", "for=\"[::1]:\"",
        "for=\"[::1]x\"", "for=\"1.2.3.4:\"", "for=\"1.2.3.4:99999999\"", "for=\"::1\"", "for=1.2.3.4;for=5.6.7.8", "for=_",
        "for=\"_a:\"", "proto=gopher", "host=\"evil.example/x\"", "for=\"\\", "for=1.2.3.4,", ", for=1.2.3.4", "for=1.2.3.4 for=5.6.7.8",
        "for=\":\"", "for=\":::\"", "for=\"[1.2.3.4]\"", "for=\"unknown:\"", String(repeating: "for=1.2.3.4,", count: 40) + "for=1.2.3.4",
    ]

    @Test(arguments: malformedForwarded)
    func aMalformedForwardedIsIgnoredWhole(_ value: String) throws {
        let resolved = ForwardedRequest.resolve(
            peer: "127.0.0.1", headers: headers("Forwarded: \(value)\r\n"), trusted: loopback, family: .forwarded)
        #expect(resolved.request == ForwardedRequest(clientAddress: "127.0.0.1", scheme: "http", authority: "gw.example:8443"))
        #expect(resolved.ignored == ["Forwarded"])
    }

    @Test(arguments: [
        (#"for="_hidden", for=127.0.0.1"#, "127.0.0.1"), (#"for=unknown"#, "127.0.0.1"), (#"for="192.0.2.60:8080""#, "192.0.2.60"),
        (#"For="[2001:db8:cafe::17]";by=203.0.113.43"#, "2001:db8:cafe::17"), (#"for=192.0.2.43, for=198.51.100.17"#, "198.51.100.17"),
    ])
    func validForwardedNodesAreRead(_ value: String, _ client: String) throws {
        let resolved = ForwardedRequest.resolve(
            peer: "127.0.0.1", headers: headers("Forwarded: \(value)\r\n"), trusted: loopback, family: .forwarded)
        #expect(resolved.request.clientAddress == client)
        #expect(resolved.ignored == [])
    }

    @Test(arguments: ["", ",", "203.0.113.7,,", "not-an-address", "203.0.113.7:80", "[::1", "1.2.3.4, evil"])
    func aMalformedXForwardedForIsIgnored(_ value: String) throws {
        let resolved = ForwardedRequest.resolve(peer: "127.0.0.1", headers: headers("X-Forwarded-For: \(value)\r\n"), trusted: loopback)
        #expect(resolved.request.clientAddress == "127.0.0.1")
        #expect(resolved.ignored == ["X-Forwarded-For"])
    }

    /// The crash of issue 11: one `Forwarded: for=:` from a trusted proxy ended the process.
    @Test func malformedForwardingHeadersOverASocketLeaveTheServerServing() throws {
        let server = try TestServer(responder: EchoResponder()) {
            $0.trustedProxies = loopback
            $0.forwardedHeaders = .forwarded
        }
        defer { server.stop() }
        let connection = try server.connect()
        for value in Self.malformedForwarded {
            try connection.send("GET /echo HTTP/1.1\r\nHost: gw.example\r\nForwarded: \(value)\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 200, "Forwarded: \(value)")
            #expect(response.text.contains(#""client":"127.0.0.1""#), "Forwarded: \(value)")
            #expect(response.text.contains(#""url":"http://gw.example/echo""#), "Forwarded: \(value)")
        }
        #expect(server.server.statistics.ignoredForwardingHeaders == Self.malformedForwarded.count)
        let fine = try server.request("GET /echo HTTP/1.1\r\nHost: gw.example\r\nForwarded: for=203.0.113.9;proto=https\r\n\r\n")
        #expect(fine.text.contains(#""client":"203.0.113.9""#))
        #expect(fine.text.contains(#""url":"https://gw.example/echo""#))
    }
}
