/// Parses an upstream's status line and header fields from the bytes received so far.
package enum ResponseHeadParser {
    package struct Head {
        package var status: Int
        package var headers: HTTPHeaders
        package var length: Int
        package var isHTTP10 = false
    }

    package enum Outcome {
        case needMoreData
        case complete(Head)
        case failed(String)
    }

    package static let maxHeadBytes = 65536
    package static let maxFields = 256

    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        guard let end = headEnd(bytes), end <= maxHeadBytes else {
            return bytes.count > maxHeadBytes ? .failed("header section over \(maxHeadBytes) bytes") : .needMoreData
        }
        guard let firstLineEnd = lineEnd(bytes, from: 0, limit: end) else { return .failed("no status line") }
        let line = Array(bytes[0..<firstLineEnd])
        // "HTTP/1.1 200 OK": version, space, three digits, then an optional reason.
        guard line.count >= 12, line.starts(with: Array("HTTP/1.".utf8)), line[7] == UInt8(ascii: "0") || line[7] == UInt8(ascii: "1"),
            line[8] == 32, line[9...11].allSatisfy({ (48...57).contains($0) }),
            let status = Int(String(decoding: line[9..<12], as: UTF8.self)), (100...599).contains(status),
            line.count == 12 || line[12] == 32
        else { return .failed("bad status line") }
        var fields: [HTTPHeaders.Field] = []
        fields.reserveCapacity(16)
        var start = firstLineEnd + 2
        while start < end - 2 {
            guard let stop = lineEnd(bytes, from: start, limit: end) else { return .failed("bad header line") }
            guard fields.count < maxFields else { return .failed("more than \(maxFields) header fields") }
            switch HTTPHeaders.parseFieldLine(bytes, from: start, to: stop) {
            case .success(let field): fields.append(field)
            case .failure: return .failed("bad header line")
            }
            start = stop + 2
        }
        let isHTTP10 = line[7] == UInt8(ascii: "0")
        return .complete(
            Head(status: status, headers: HTTPHeaders(storage: Array(bytes[0..<end]), fields: fields), length: end, isHTTP10: isHTTP10))
    }

    /// The offset just past CRLF CRLF, if the buffer holds it.
    private static func headEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = 3
        // No further than a head may reach: a body that follows is not scanned.
        let limit = min(bytes.count, maxHeadBytes + 1)
        while index < limit {
            if bytes[index] == 10, bytes[index - 1] == 13, bytes[index - 2] == 10, bytes[index - 3] == 13 { return index + 1 }
            index += 1
        }
        return nil
    }

    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int? {
        var index = start
        while index + 1 < limit {
            if bytes[index] == 13, bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}
