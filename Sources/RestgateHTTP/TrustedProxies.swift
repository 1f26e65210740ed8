#if canImport(Glibc)
    import Glibc
#endif

/// An address or CIDR range (`10.0.0.0/8`, `127.0.0.1`, `fd00::/8`, `::1`).
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    let bytes: [UInt8]
    let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = AddressRange.parse(String(first)) else { return nil }
        let bits = address.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        bytes = address
    }

    public var description: String { "\(AddressRange.format(bytes))/\(prefixLength)" }

    public func contains(_ text: String) -> Bool {
        guard let address = AddressRange.parse(text), address.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard address[index] & mask == bytes[index] & mask else { return false }
            remaining -= 8
        }
        return true
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 literal (brackets and an IPv4-mapped prefix allowed).
    static func parse(_ text: String) -> [UInt8]? {
        var literal = text
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, literal, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        // ::ffff:a.b.c.d is the IPv4 peer of a dual-stack socket.
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12..<16]) }
        return bytes
    }

    private static func format(_ bytes: [UInt8]) -> String {
        bytes.count == 4 ? bytes.map(String.init).joined(separator: ".") : bytes.map { String($0, radix: 16) }.joined(separator: ":")
    }
}

/// Who the client really is and how it reached us, honouring forwarding headers only when
/// the direct peer is a trusted proxy (anyone else could forge them).
public struct ForwardedRequest: Sendable, Equatable {
    public var clientAddress: String
    public var scheme: String
    /// The host (and port) the client used, when it is a plausible authority.
    public var authority: String?

    static func resolve(peer: String, headers: HTTPHeaders, trusted: [AddressRange]) -> ForwardedRequest {
        var result = ForwardedRequest(clientAddress: peer, scheme: "http", authority: headers["host"].flatMap(sane))
        guard trusted.contains(where: { $0.contains(peer) }) else { return result }
        let isTrusted = { (address: String) in trusted.contains { $0.contains(address) } }
        var hops: [String] = []
        var proto: String?
        var host: String?
        if headers.contains("forwarded") {
            // RFC 7239: elements separated by commas, pairs by semicolons, values maybe quoted.
            for element in headers.values("forwarded").flatMap({ $0.split(separator: ",") }) {
                for pair in element.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    var value = parts[1].trimmingWhitespace()
                    if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
                    switch parts[0].trimmingWhitespace().lowercased() {
                    case "for": hops.append(stripPort(String(value)))
                    case "proto": proto = String(value).lowercased()
                    case "host": host = String(value)
                    default: break
                    }
                }
            }
        } else {
            hops = headers.values("x-forwarded-for").flatMap { $0.split(separator: ",") }.map { String($0.trimmingWhitespace()) }
            proto = headers.values("x-forwarded-proto").last.map {
                String($0.split(separator: ",").last?.trimmingWhitespace() ?? "").lowercased()
            }
            host = headers.values("x-forwarded-host").last.map { String($0.split(separator: ",").last?.trimmingWhitespace() ?? "") }
        }
        // The client is the right-most hop that is not one of our own proxies.
        if let client = hops.reversed().first(where: { !isTrusted($0) }) ?? hops.first, AddressRange.parse(client) != nil {
            result.clientAddress = client
        }
        if let proto, proto == "http" || proto == "https" { result.scheme = proto }
        if let host, let checked = sane(host) { result.authority = checked }
        return result
    }

    private static func stripPort(_ value: String) -> String {
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") { return String(value[...close]) }
        let colons = value.filter { $0 == ":" }.count
        return colons == 1 ? String(value.split(separator: ":")[0]) : value
    }

    /// A host[:port] made only of the characters a host can hold, so it can go into a URL.
    static func sane(_ host: String) -> String? {
        guard !host.isEmpty, host.utf8.count <= 255,
            host.utf8.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-.:[]".utf8.contains(byte)
            })
        else { return nil }
        return host
    }
}
