import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

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
