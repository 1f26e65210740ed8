import RestgateHTTP

/// Writes JSON text straight into bytes with members in the order given, for the server's
/// own small documents (problems, health). Strings are escaped per RFC 8259 §7.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init() {}

    /// With room for `capacity` bytes, for a document whose size is known roughly.
    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ value: String) { separate(); appendString(value) }
    public mutating func number(_ value: Int) { separate(); bytes.append(contentsOf: String(value).utf8) }
    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }
    /// A value already in JSON form (a number's text as parsed).
    public mutating func raw(_ text: String) { separate(); bytes.append(contentsOf: text.utf8) }

    public mutating func member(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func member(_ name: String, _ value: Int) { key(name); number(value) }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ value: String) { Self.appendString(value, to: &bytes) }

    /// `value` as a JSON string, appended to `bytes`. Copies runs that need no escaping whole,
    /// found eight bytes at a time; answers and long request bodies are mostly such runs (a
    /// test per byte was 15 % of a 300 KB body's CPU).
    package static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8Bytes { utf8 in
            var runStart = 0
            var index = 0
            while true {
                index = escapeFreeEnd(utf8, from: index)
                guard index < utf8.count else { break }
                let byte = utf8[index]
                index += 1
                if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte != 0x7F { continue }
                if runStart < index - 1 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index - 1])) }
                appendEscape(byte, to: &bytes)
                runStart = index
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The first index from `start` on, in steps of eight bytes, where a byte that takes an
    /// escape (a quote, a backslash, a control character, DEL) may be; past the last whole
    /// step, the end of what is left to test one byte at a time.
    private static func escapeFreeEnd(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        // Bytes of 0x80 and above (UTF-8) are copied as they are.
        WordScan.runEnd(utf8, from: start) { word in
            WordScan.equal(word, UInt8(ascii: "\"")) | WordScan.equal(word, UInt8(ascii: "\\")) | WordScan.equal(word, 0x7F)
                | WordScan.below(word, 0x20)
        }
    }

    private static func appendEscape(_ byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(92)
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 10: bytes.append(UInt8(ascii: "n"))
        case 13: bytes.append(UInt8(ascii: "r"))
        case 9: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(48)
            bytes.append(48)
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 15)])
        }
    }
}
