import RestgateGzip
package import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// Which forwarding headers a trusted proxy sets, and so the only ones believed: one family,
/// never both mixed, since a client could otherwise add the family its proxy does not touch.
public enum ForwardedHeaderFamily: String, Sendable, CaseIterable {
    /// `X-Forwarded-For`, `-Proto`, `-Host`: what nginx sets.
    case xForwarded = "x-forwarded"
    /// RFC 7239 `Forwarded`.
    case forwarded
}

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
        guard !host.isEmpty, host.utf8.count <= 255,
            host.utf8.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-.:[]".utf8.contains(byte)
            })
        else { return nil }
        return host
    }
}

/// One element of an RFC 7239 `Forwarded` header: `for`, `proto` and `host`, each already
/// checked (an address, `http`/`https`, a sane authority).
package struct ForwardedElement: Equatable {
    /// The address of `for`, without brackets or port; nil for `unknown` or an obfuscated node.
    package var node: String?
    package var proto: String?
    package var host: String?

    /// Every element of every field line, or nil when any of it is malformed: a header that
    /// cannot be read whole is not believed in part.
    package static func parse(_ lines: [String]) -> [ForwardedElement]? {
        var elements: [ForwardedElement] = []
        for line in lines {
            var scanner = Scanner(bytes: Array(line.utf8))
            while true {
                guard let element = scanner.element() else { return nil }
                elements.append(element)
                scanner.skipWhitespace()
                if scanner.atEnd { break }
                guard scanner.take(UInt8(ascii: ",")) else { return nil }
            }
        }
        return elements
    }

    /// `for` node (RFC 7239 §6): IPv4, `"[" IPv6 "]"`, `unknown` or `_obfuscated`, each with
    /// an optional `:port`. Returns `.some(nil)` for a valid node that names no address.
    package static func node(_ text: String) -> String?? {
        var name = Substring(text)
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return nil }
            let rest = name[name.index(after: close)...]
            guard rest.isEmpty || (rest.first == ":" && isPort(rest.dropFirst())) else { return nil }
            let inner = String(name[name.index(after: name.startIndex)..<close])
            guard inner.contains(":"), AddressRange.parse(inner) != nil else { return nil }
            return .some(inner)
        }
        if let colon = name.firstIndex(of: ":") {
            guard isPort(name[name.index(after: colon)...]) else { return nil }
            name = name[..<colon]
        }
        if name.lowercased() == "unknown" { return .some(nil) }
        if name.first == "_" {
            let valid = name.count > 1 && name.utf8.allSatisfy { ByteClass.isToken($0) && $0 != UInt8(ascii: ":") }
            return valid ? .some(nil) : nil
        }
        guard !name.contains(":"), AddressRange.parse(String(name)) != nil else { return nil }
        return .some(String(name))
    }

    /// A port number, or an obfuscated port (`_` and letters, digits, `.`, `_`, `-`).
    private static func isPort(_ text: Substring) -> Bool {
        if text.first == "_" { return text.count > 1 }
        return !text.isEmpty && text.count <= 5 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Reads tokens and quoted strings from one field line.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index >= bytes.count }

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func token() -> String? {
            let start = index
            while index < bytes.count, ByteClass.isToken(bytes[index]) { index += 1 }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }

        /// RFC 9110 §5.6.4: DQUOTE, text or backslash-escaped octets, DQUOTE.
        mutating func quoted() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var value: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return String(decoding: value, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    value.append(bytes[index])
                    index += 1
                default: value.append(byte)
                }
            }
            return nil
        }

        /// pair *( ";" pair ), each `token "=" ( token / quoted-string )`; nil if malformed
        /// or a parameter repeats (RFC 7239 §4).
        mutating func element() -> ForwardedElement? {
            var element = ForwardedElement()
            var seen: Set<String> = []
            repeat {
                skipWhitespace()
                guard let name = token()?.lowercased(), take(UInt8(ascii: "=")) else { return nil }
                guard let value = index < bytes.count && bytes[index] == UInt8(ascii: "\"") ? quoted() : token() else { return nil }
                guard seen.insert(name).inserted else { return nil }
                switch name {
                case "for":
                    guard let node = ForwardedElement.node(value) else { return nil }
                    element.node = node
                case "proto":
                    let proto = value.lowercased()
                    guard proto == "http" || proto == "https" else { return nil }
                    element.proto = proto
                case "host":
                    guard let host = ForwardedRequest.sane(value) else { return nil }
                    element.host = host
                default: break  // `by` and extensions carry nothing we use
                }
                skipWhitespace()
            } while take(UInt8(ascii: ";"))
            return element
        }
    }
}
