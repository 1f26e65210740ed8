#if canImport(Glibc)
    import Glibc
#endif

/// An incremental parser of the request line and header section, in the manner of
/// picohttpparser: it scans raw bytes, records offsets, and creates strings only for the
/// finished head. It keeps its place between calls, so a head that arrives a byte at a time
/// costs linear work, not quadratic.
///
/// Each call must see the same bytes from the start of the head, plus whatever arrived since.
public struct RequestHeadParser: Sendable {
    public let limits: RequestHeadLimits
    private var lineStart = 0
    /// Where the search for the next line feed resumes: bytes before it hold none.
    private var searchedUpTo = 0
    private var leadingEmptyLines = 0
    private var requestLine: RequestLine?
    private var headerStart = 0
    private var fields: [HTTPHeaders.Field] = []

    private struct RequestLine {
        var methodStart: Int
        var methodEnd: Int
        var targetStart: Int
        var targetEnd: Int
        var version: HTTPVersion
    }

    public init(limits: RequestHeadLimits = RequestHeadLimits()) {
        self.limits = limits
    }

    package static let maxMethodLength = 32

    /// Forgets all progress, ready for the next request's head.
    public mutating func reset() {
        lineStart = 0
        searchedUpTo = 0
        leadingEmptyLines = 0
        requestLine = nil
        headerStart = 0
        // The previous request's fields went to its HTTPHeaders: start a new array at a size
        // that holds a usual request's fields without regrowing.
        fields = []
        fields.reserveCapacity(16)
    }

    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> RequestHeadParseResult {
        while true {
            guard let lineFeed = firstLineFeed(in: bytes, from: max(lineStart, searchedUpTo)) else {
                searchedUpTo = bytes.count
                return checkLimitsOfIncompleteLine(bytes.count)
            }
            guard lineFeed > lineStart, bytes[lineFeed - 1] == ByteClass.carriageReturn else {
                return .failed(.bareLineFeed)
            }
            let lineEnd = lineFeed - 1
            if let failure = firstBareCarriageReturn(in: bytes, from: lineStart, to: lineEnd) {
                return .failed(failure)
            }
            if requestLine == nil {
                if lineEnd == lineStart {
                    // RFC 9112 §2.2: ignore at least one empty line before the request line.
                    leadingEmptyLines += 1
                    if leadingEmptyLines > 4 { return .failed(.malformedRequestLine) }
                } else {
                    switch parseRequestLine(bytes, from: lineStart, to: lineEnd) {
                    case .success(let line): requestLine = line
                    case .failure(let error): return .failed(error)
                    }
                    headerStart = lineFeed + 1
                }
                lineStart = lineFeed + 1
                continue
            }
            if lineFeed + 1 - headerStart > limits.maxHeaderBytes + 2 { return .failed(.headerSectionTooLarge) }
            if lineEnd == lineStart {
                let head = makeHead(bytes, length: lineFeed + 1)
                if let failure = Self.validate(head) { return .failed(failure) }
                return .complete(head, length: lineFeed + 1)
            }
            switch HTTPHeaders.parseFieldLine(bytes, from: lineStart, to: lineEnd) {
            case .success(let field): fields.append(field)
            case .failure(let error): return .failed(error)
            }
            if fields.count > limits.maxHeaderCount { return .failed(.tooManyHeaderFields) }
            lineStart = lineFeed + 1
        }
    }

    private func checkLimitsOfIncompleteLine(_ count: Int) -> RequestHeadParseResult {
        if requestLine == nil {
            // A method of at most 32 bytes, two spaces and an 8-byte version fit in 64.
            if count - lineStart > limits.maxTargetLength + 64 { return .failed(.uriTooLong) }
        } else if count - headerStart > limits.maxHeaderBytes + 2 {
            return .failed(.headerSectionTooLarge)
        }
        return .needMoreData
    }

    // Both searches are memchr's, which reads a vector at a time: a request head is mostly
    // long lines (a 300-byte bearer token) with one line feed each.
    private func firstLineFeed(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, Int32(ByteClass.lineFeed), bytes.count - start)
        else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    private func firstBareCarriageReturn(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
    ) -> HTTPParseError? {
        guard start < end, let base = bytes.baseAddress else { return nil }
        return memchr(base + start, Int32(ByteClass.carriageReturn), end - start) == nil ? nil : .bareLineFeed
    }

    private func parseRequestLine(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
    ) -> Result<RequestLine, HTTPParseError> {
        var index = ByteClass.tokenRunEnd(bytes, from: start, to: end)
        guard index > start, index < end, bytes[index] == ByteClass.space else {
            return .failure(index == start ? .invalidMethod : .malformedRequestLine)
        }
        // No registered method is near this long; the cap also keeps a complete request line
        // within the bound `checkLimitsOfIncompleteLine` applies to a partial one.
        guard index - start <= Self.maxMethodLength else { return .failure(.invalidMethod) }
        let methodEnd = index
        let targetStart = index + 1
        index = targetStart
        // Visible ASCII only: URIs are ASCII, and a control or 8-bit byte here is an attack.
        while index < end, bytes[index] > ByteClass.space, bytes[index] < 0x7F { index += 1 }
        let targetEnd = index
        if targetEnd - targetStart > limits.maxTargetLength { return .failure(.uriTooLong) }
        guard targetEnd > targetStart, index < end, bytes[index] == ByteClass.space else {
            return .failure(.malformedRequestLine)
        }
        let versionStart = index + 1
        guard end - versionStart == 8 else { return .failure(.malformedRequestLine) }
        let prefix: [UInt8] = Array("HTTP/".utf8)
        for offset in 0..<5 where bytes[versionStart + offset] != prefix[offset] {
            return .failure(.malformedRequestLine)
        }
        let major = bytes[versionStart + 5]
        let dot = bytes[versionStart + 6]
        let minor = bytes[versionStart + 7]
        let zero = UInt8(ascii: "0")
        let nine = UInt8(ascii: "9")
        guard (zero...nine).contains(major), dot == UInt8(ascii: "."), (zero...nine).contains(minor) else {
            return .failure(.malformedRequestLine)
        }
        guard major == UInt8(ascii: "1") else { return .failure(.unsupportedVersion) }
        // RFC 9110 §6.2: a higher 1.x minor version is answered as the highest one we speak.
        let version = minor == zero ? HTTPVersion.http1_0 : HTTPVersion.http1_1
        return .success(
            RequestLine(methodStart: start, methodEnd: methodEnd, targetStart: targetStart, targetEnd: targetEnd, version: version))
    }

    /// Checks that need the whole head: the target's form and RFC 9112 §3.2's Host rules.
    private static func validate(_ head: RequestHead) -> HTTPParseError? {
        guard RequestTarget.isAcceptable(head.target, method: head.method) else { return .invalidTarget }
        let hosts = head.headers.count(of: "host")
        if hosts > 1 { return .repeatedHost }
        if hosts == 0, head.version == .http1_1 { return .missingHost }
        return nil
    }

    private func makeHead(_ bytes: UnsafeBufferPointer<UInt8>, length: Int) -> RequestHead {
        let line = requestLine!
        let method = HTTPMethod(bytes: UnsafeBufferPointer(rebasing: bytes[line.methodStart..<line.methodEnd]))
        let target = String(decoding: UnsafeBufferPointer(rebasing: bytes[line.targetStart..<line.targetEnd]), as: UTF8.self)
        let storage = Array(bytes[0..<length])
        let headers = HTTPHeaders(storage: storage, fields: fields)
        let (path, query) = RequestTarget.split(target)
        return RequestHead(method: method, target: target, path: path, query: query, version: line.version, headers: headers)
    }
}
