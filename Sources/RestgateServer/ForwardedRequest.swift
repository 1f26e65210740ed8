import RestgateGzip
package import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// Who the client really is and how it reached us, honouring forwarding headers only when
/// the direct peer is a trusted proxy (anyone else could forge them).
public struct ForwardedRequest: Sendable, Equatable {
    public var clientAddress: String
    public var scheme: String
    /// The host (and port) the client used, when it is a plausible authority.
    public var authority: String?

    public init(clientAddress: String, scheme: String, authority: String?) {
        self.clientAddress = clientAddress
        self.scheme = scheme
        self.authority = authority
    }

    /// What was believed, and the header values that were not (malformed, so ignored).
    public struct Resolution: Sendable, Equatable {
        public var request: ForwardedRequest
        /// Names of the headers whose value could not be read; the peer's own view was kept.
        public var ignored: [String]
    }

    /// More hops than this in one request is not a real proxy chain.
    package static let maxHops = 32

    package static func resolve(peer: String, headers: HTTPHeaders, trusted: [AddressRange], family: ForwardedHeaderFamily = .xForwarded)
        -> Resolution
    {
        var resolution = Resolution(
            request: ForwardedRequest(clientAddress: peer, scheme: "http", authority: headers["host"].flatMap(sane)), ignored: [])
        guard trusted.contains(where: { $0.contains(peer) }) else { return resolution }
        let isTrusted = { (address: String) in trusted.contains { $0.contains(address) } }
        switch family {
        case .forwarded:
            guard headers.contains("forwarded") else { return resolution }
            guard let elements = ForwardedElement.parse(headers.values("forwarded")), elements.count <= maxHops else {
                resolution.ignored.append("Forwarded")
                return resolution
            }
            // The client is the right-most hop that is not one of our own proxies; the proto and
            // host beside it are what the first of our proxies saw.
            guard let index = elements.lastIndex(where: { !($0.node.map(isTrusted) ?? false) }) ?? elements.indices.first else {
                return resolution
            }
            let element = elements[index]
            if let node = element.node { resolution.request.clientAddress = node }
            if let proto = element.proto { resolution.request.scheme = proto }
            if let host = element.host { resolution.request.authority = host }
        case .xForwarded:
            if headers.contains("x-forwarded-for") {
                let hops = headers.values("x-forwarded-for").flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                    .map { String($0.trimmingWhitespace()) }
                if hops.count <= maxHops, hops.allSatisfy({ AddressRange.parse($0) != nil }) {
                    if let client = hops.last(where: { !isTrusted($0) }) ?? hops.first {
                        resolution.request.clientAddress = AddressRange.unbracketed(client)
                    }
                } else {
                    resolution.ignored.append("X-Forwarded-For")
                }
            }
            if let value = headers.values("x-forwarded-proto").last {
                let proto = value.split(separator: ",").last.map { $0.trimmingWhitespace().lowercased() }
                if let proto, proto == "http" || proto == "https" {
                    resolution.request.scheme = proto
                } else {
                    resolution.ignored.append("X-Forwarded-Proto")
                }
            }
            if let value = headers.values("x-forwarded-host").last {
                if let host = value.split(separator: ",").last.flatMap({ sane(String($0.trimmingWhitespace())) }) {
                    resolution.request.authority = host
                } else {
                    resolution.ignored.append("X-Forwarded-Host")
                }
            }
        }
        return resolution
    }

    /// A host[:port] made only of the characters a host can hold, so it can go into a URL.
    package static func sane(_ host: String) -> String? {
        // Over the contiguous bytes: a closure per byte of the UTF-8 view cost more than the
        // rest of the forwarding headers' handling.
        let sane = host.withUTF8Bytes { bytes in
            !bytes.isEmpty && bytes.count <= 255
                && bytes.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"),
                        UInt8(ascii: "["), UInt8(ascii: "]"):
                        true
                    default: false
                    }
                }
        }
        return sane ? host : nil
    }
}
