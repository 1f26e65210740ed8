/// The `Idempotency-Key` header (IETF httpapi draft): an RFC 8941 string (`"…"`, with `\"` and
/// `\\` escapes) or, for older clients, a bare token; 1 to 255 printable ASCII characters,
/// quotes included.
enum IdempotencyKey {
    static func parse(_ field: String) -> String? {
        let bytes = Array(field.utf8)
        guard bytes.count <= 255 else { return nil }
        var key: [UInt8] = []
        if bytes.first == UInt8(ascii: "\"") {
            guard bytes.count >= 2, bytes.last == UInt8(ascii: "\"") else { return nil }
            var index = 1
            while index < bytes.count - 1 {
                var byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    guard index < bytes.count - 1, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\") else {
                        return nil
                    }
                    byte = bytes[index]
                } else if byte == UInt8(ascii: "\"") {
                    return nil
                }
                key.append(byte)
                index += 1
            }
        } else {
            key = bytes
        }
        guard (1...255).contains(key.count), key.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { return nil }
        return String(decoding: key, as: UTF8.self)
    }
}
