/// Decodes the chunked transfer coding (RFC 9112 §7.1) incrementally: chunk extensions are
/// checked and dropped, trailer fields are kept. The body limit is enforced from each chunk's
/// declared size, before its data is read.
public struct ChunkedDecoder: Sendable {
    enum State: Sendable {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    public let limits: ChunkedBodyLimits
    private var state = State.sizeLine
    private var line: [UInt8] = []
    private var trailerStorage: [UInt8] = []
    private var trailerFields: [HTTPHeaders.Field] = []
    public private(set) var decodedCount = 0

    public init(limits: ChunkedBodyLimits) {
        self.limits = limits
    }

    public var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    public var trailers: HTTPHeaders {
        HTTPHeaders(storage: trailerStorage, fields: trailerFields)
    }

    /// Consumes as much of `input` as belongs to the body, appending decoded data to `body`;
    /// returns how many bytes it took. Bytes after the final CRLF are left for the next request.
    public mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into body: inout [UInt8]) throws(HTTPParseError) -> Int {
        var index = 0
        while index < input.count {
            switch state {
            case .done:
                return index
            case .data(let remaining):
                let take = min(remaining, input.count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<index + take]))
                decodedCount += take
                index += take
                state = remaining == take ? .dataEnd : .data(remaining: remaining - take)
            case .sizeLine, .dataEnd, .trailers:
                let byte = input[index]
                index += 1
                line.append(byte)
                if case .trailers = state {
                    if trailerStorage.count + line.count > limits.maxTrailerBytes + 2 { throw .trailerSectionTooLarge }
                } else if line.count > limits.maxChunkLineBytes {
                    throw .invalidChunkExtension
                }
                guard byte == ByteClass.lineFeed else { continue }
                try finishLine()
                line.removeAll(keepingCapacity: true)
            }
        }
        return index
    }

    private mutating func finishLine() throws(HTTPParseError) {
        guard line.count >= 2, line[line.count - 2] == ByteClass.carriageReturn else {
            throw state.isDataEnd ? .invalidChunkTerminator : .bareLineFeed
        }
        let contentCount = line.count - 2
        switch state {
        case .dataEnd:
            guard contentCount == 0 else { throw .invalidChunkTerminator }
            state = .sizeLine
        case .sizeLine:
            let size = try parseSizeLine(contentCount)
            if size == 0 {
                state = .trailers
            } else {
                guard decodedCount + size <= limits.maxBodyBytes else { throw .bodyTooLarge }
                state = .data(remaining: size)
            }
        case .trailers:
            if contentCount == 0 {
                state = .done
                return
            }
            let offset = trailerStorage.count
            trailerStorage.append(contentsOf: line[0..<contentCount])
            let result = trailerStorage.withUnsafeBufferPointer { buffer in
                HTTPHeaders.parseFieldLine(buffer, from: offset, to: offset + contentCount)
            }
            switch result {
            case .success(let field): trailerFields.append(field)
            case .failure(let error): throw error
            }
            if trailerFields.count > limits.maxTrailerCount { throw .trailerSectionTooLarge }
        case .data, .done:
            preconditionFailure("finishLine is only called for line states")
        }
    }

    private func parseSizeLine(_ contentCount: Int) throws(HTTPParseError) -> Int {
        var size = 0
        var index = 0
        while index < contentCount, let digit = Self.hexValue(line[index]) {
            guard index < 15 else { throw .invalidChunkSize }
            size = size << 4 | digit
            index += 1
        }
        guard index > 0 else { throw .invalidChunkSize }
        // What follows the size may only be BWS and `;name[=value]` extensions, which we drop.
        while index < contentCount, ByteClass.isWhitespace(line[index]) { index += 1 }
        guard index == contentCount || line[index] == UInt8(ascii: ";") else { throw .invalidChunkSize }
        while index < contentCount {
            guard ByteClass.isFieldContent(line[index]) else { throw .invalidChunkExtension }
            index += 1
        }
        return size
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

extension ChunkedDecoder.State {
    var isDataEnd: Bool {
        if case .dataEnd = self { return true }
        return false
    }
}
