/// Reads RESP2 replies from the bytes a connection received; a reply split across reads waits
/// for the rest. Bounded: a bulk string over `maxBulkBytes` or nesting past `maxDepth` is a
/// protocol error, so a confused or hostile server cannot make us buffer without end.
struct RESPParser {
    static let maxBulkBytes = 64 << 20
    static let maxDepth = 8

    enum Outcome: Equatable {
        case value(RESPValue, consumed: Int)
        case needMoreData
        case invalid(String)
    }

    static func parse(_ bytes: ArraySlice<UInt8>) -> Outcome {
        var index = bytes.startIndex
        switch value(bytes, &index, depth: 0) {
        case .success(let value?): return .value(value, consumed: index - bytes.startIndex)
        case .success(nil): return .needMoreData
        case .failure(let error): return .invalid(error.message)
        }
    }

    struct Invalid: Error {
        let message: String
    }

    /// nil when the reply is not complete yet.
    private static func value(_ bytes: ArraySlice<UInt8>, _ index: inout Int, depth: Int) -> Result<RESPValue?, Invalid> {
        guard depth <= maxDepth else { return .failure(Invalid(message: "replies nested too deep")) }
        guard index < bytes.endIndex else { return .success(nil) }
        let kind = bytes[index]
        var cursor = index + 1
        guard let line = self.line(bytes, &cursor) else { return .success(nil) }
        switch kind {
        case UInt8(ascii: "+"):
            index = cursor
            return .success(.simple(String(decoding: line, as: UTF8.self)))
        case UInt8(ascii: "-"):
            index = cursor
            return .success(.error(String(decoding: line, as: UTF8.self)))
        case UInt8(ascii: ":"):
            guard let number = Int64(String(decoding: line, as: UTF8.self)) else { return .failure(Invalid(message: "a bad integer")) }
            index = cursor
            return .success(.integer(number))
        case UInt8(ascii: "$"):
            guard let length = Int(String(decoding: line, as: UTF8.self)), length >= -1, length <= maxBulkBytes else {
                return .failure(Invalid(message: "a bad bulk length"))
            }
            if length == -1 {
                index = cursor
                return .success(.bulk(nil))
            }
            guard bytes.endIndex - cursor >= length + 2 else { return .success(nil) }
            guard bytes[cursor + length] == 13, bytes[cursor + length + 1] == 10 else {
                return .failure(Invalid(message: "a bulk string without its CRLF"))
            }
            let payload = Array(bytes[cursor..<(cursor + length)])
            index = cursor + length + 2
            return .success(.bulk(payload))
        case UInt8(ascii: "*"):
            guard let count = Int(String(decoding: line, as: UTF8.self)), count >= -1, count <= 1_000_000 else {
                return .failure(Invalid(message: "a bad array length"))
            }
            if count == -1 {
                index = cursor
                return .success(.array(nil))
            }
            var elements: [RESPValue] = []
            for _ in 0..<count {
                switch value(bytes, &cursor, depth: depth + 1) {
                case .success(let element?): elements.append(element)
                case .success(nil): return .success(nil)
                case .failure(let error): return .failure(error)
                }
            }
            index = cursor
            return .success(.array(elements))
        default:
            return .failure(Invalid(message: "an unknown reply type \(kind)"))
        }
    }

    /// The line from `cursor` to its CRLF (moving past it), or nil when the CRLF has not come.
    private static func line(_ bytes: ArraySlice<UInt8>, _ cursor: inout Int) -> ArraySlice<UInt8>? {
        var end = cursor
        while end + 1 < bytes.endIndex {
            if bytes[end] == 13, bytes[end + 1] == 10 {
                let line = bytes[cursor..<end]
                cursor = end + 2
                return line
            }
            end += 1
            if end - cursor > 64 * 1024 { return nil }
        }
        return nil
    }
}
