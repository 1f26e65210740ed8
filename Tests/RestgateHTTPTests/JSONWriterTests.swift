import RestgateJSON
import Testing

/// Strings are escaped the same whichever eight-byte step a special byte falls in.
@Suite struct JSONWriterTests {
    /// RFC 8259 §7 one byte at a time, as the writer escapes: quote, backslash, the control
    /// characters (\n, \r, \t by name) and DEL.
    private static func reference(_ text: String) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22, 0x5C: out += [0x5C, byte]
            case 10: out += [0x5C, UInt8(ascii: "n")]
            case 13: out += [0x5C, UInt8(ascii: "r")]
            case 9: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20, 0x7F: out += [0x5C, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
        return out + [0x22]
    }

    private static func written(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.appendString(text, to: &bytes)
        return bytes
    }

    @Test(arguments: ["\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "😀", " ", "~"])
    func aSpecialByteAnywhereIsEscapedAsOneAtATimeWould(special: String) throws {
        for length in 0..<26 {
            for position in 0...length {
                let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position)
                let bytes = Self.written(text)
                #expect(bytes == Self.reference(text), "\(special.debugDescription) at \(position) of \(length + 1)")
                #expect(try JSONParser.parse(bytes) == .string(text))
            }
        }
    }

    @Test func mixedTextMatchesTheReference() throws {
        let alphabet = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "\u{2}", "\u{7F}", "é", "€", "😀", "/"]
        var state: UInt64 = 20_261_204
        for _ in 0..<500 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 58) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += alphabet[Int(state >> 33) % alphabet.count]
            }
            let bytes = Self.written(text)
            #expect(bytes == Self.reference(text), "\(text.debugDescription)")
            #expect(try JSONParser.parse(bytes) == .string(text))
        }
    }
}
