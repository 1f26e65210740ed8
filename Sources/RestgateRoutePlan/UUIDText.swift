import RestgateHTTP
import RestgateJSON

/// The textual form of a UUID, as the `UUID` scalar and the `uuid` format accept it.
package enum UUIDText {
    /// 8-4-4-4-12 hexadecimal digits, any case.
    package static func isValid(_ text: String) -> Bool {
        guard text.utf8.count == 36 else { return false }
        return text.withUTF8Bytes { bytes in
            for index in 0..<36 {
                let byte = bytes[index]
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard byte == UInt8(ascii: "-") else { return false }
                } else {
                    // A digit, or a letter a-f in either case (0x20 makes it lower case).
                    guard byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6 else { return false }
                }
            }
            return true
        }
    }
}
