import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

/// A request's query parameters, percent-decoded (`+` as a space, as HTML forms send it), in
/// order, repeats kept. Read strictly: a bad escape or bytes that are not UTF-8 are the
/// client's mistake to hear about, never bytes silently dropped or replaced.
struct QueryString {
    let parameters: [(name: String, value: String)]

    /// More parameters than this is a 400: no route takes more than a handful, and each one
    /// could otherwise cost a line in the answer.
    static let maxParameters = 100

    init(_ query: String?) throws(Problem) {
        // Split on bytes, not Characters: `&` or `=` followed by a combining mark is one
        // Character, and would not separate anything.
        let text = Substring(query ?? "")
        let pairs = text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { Substring($0) }
        guard pairs.count <= Self.maxParameters else {
            throw Problem(
                .invalidRequest, detail: "The query string has \(pairs.count) parameters; at most \(Self.maxParameters) are accepted.")
        }
        var parameters: [(name: String, value: String)] = []
        var problems: [ProblemError] = []
        for pair in pairs {
            let parts = pair.utf8.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false).map { Substring($0) }
            guard let name = Self.decode(parts[0]) else {
                problems.append(
                    ProblemError(
                        message: "A query parameter's name '\(parts[0])' has a bad percent escape or is not UTF-8.",
                        field: String(parts[0]),
                        code: "INVALID_ENCODING"))
                continue
            }
            guard let value = parts.count > 1 ? Self.decode(parts[1]) : "" else {
                problems.append(
                    ProblemError(
                        message: "Query parameter '\(name)' has a bad percent escape or is not UTF-8 (use %XX with two hex digits).",
                        field: name, code: "INVALID_ENCODING"))
                continue
            }
            parameters.append((name, value))
        }
        guard problems.isEmpty else {
            throw Problem(.invalidRequest, detail: "The query string cannot be decoded; see errors.", errors: problems)
        }
        self.parameters = parameters
    }

    subscript(name: String) -> String? { parameters.first { $0.name == name }?.value }

    /// The text percent-decoded, or nil when an escape is not `%` and two hex digits or the
    /// result is not UTF-8.
    static func decode(_ text: Substring, plusIsSpace: Bool = true) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// A path segment as the client sent it, percent-decoded (`+` stays a plus in paths).
    static func decodePath(_ text: String) -> String? {
        decode(Substring(text), plusIsSpace: false)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes a query value strictly: only unreserved characters stay as they are, so
    /// a cursor's `+`, `/`, `=` and `|` survive the trip back.
    static func encode(_ text: String) -> String {
        // Ids (the usual case: every Location) need no escaping and come back as they are.
        guard !text.withUTF8Bytes({ $0.allSatisfy(isUnreserved) }) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(contentsOf: [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// RFC 3986 §2.3 unreserved characters.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
