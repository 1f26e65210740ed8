@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// Forwarding headers from a trusted proxy, both families: never a trap, and whatever is
// believed is an address, a known scheme and a sane authority.

private let trusted = [AddressRange("127.0.0.0/8")!, AddressRange("::1")!, AddressRange("10.0.0.0/8")!]

func fuzzForwardedHeaders(_ input: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: input, as: UTF8.self)
    _ = AddressRange(text)
    _ = AddressRange.parse(text)
    // The input's lines become header fields after a fixed request line.
    let head = Array("GET / HTTP/1.1\r\nHost: gw.example\r\n".utf8) + Array(input) + Array("\r\n\r\n".utf8)
    var parser = RequestHeadParser(limits: RequestHeadLimits())
    guard case .complete(let parsed, _) = head.withUnsafeBufferPointer({ parser.parse($0) }) else { return }
    for family in ForwardedHeaderFamily.allCases {
        let resolved = ForwardedRequest.resolve(peer: "127.0.0.1", headers: parsed.headers, trusted: trusted, family: family)
        let request = resolved.request
        precondition(request.clientAddress == "127.0.0.1" || AddressRange.parse(request.clientAddress) != nil, "not an address")
        precondition(request.scheme == "http" || request.scheme == "https", "scheme \(request.scheme)")
        precondition(request.authority.map { ForwardedRequest.sane($0) == $0 } ?? true, "authority")
        // From a peer that is not a proxy, nothing is believed.
        let direct = ForwardedRequest.resolve(peer: "203.0.113.1", headers: parsed.headers, trusted: trusted, family: family)
        precondition(direct.request.clientAddress == "203.0.113.1" && direct.request.scheme == "http" && direct.ignored.isEmpty)
    }
}
