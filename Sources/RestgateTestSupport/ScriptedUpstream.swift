import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import RestgateServer
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A raw TCP upstream for client tests: for each request it reads (head and Content-Length
/// body) it does what the script says, byte for byte. One thread per connection.
public final class ScriptedUpstream: Sendable {
    public enum Action: Sendable {
        /// Write these bytes; close afterwards when `close` is true.
        case reply([UInt8], close: Bool)
        /// Close without answering.
        case closeWithoutAnswer
        /// Never answer (until the client gives up).
        case hang
    }

    /// What the script sees: the request's bytes and its index on its connection (0, 1, …).
    public typealias Script = @Sendable (_ request: String, _ indexOnConnection: Int) -> Action

    public let port: UInt16
    private let listener: Int32
    private let script: Script
    private let accepted = Atomic<Int>(0)
    private let received = Mutex<[String]>([])
    private let answersBeforeBodies: Bool
    private let afterAnswers = Mutex<[String]>([])

    public var acceptedConnections: Int { accepted.load(ordering: .relaxed) }
    public var requests: [String] { received.withLock { $0 } }
    /// With `answersBeforeBodies`: what each connection received after its answer went out.
    public var bytesAfterAnswers: [String] { afterAnswers.withLock { $0 } }

    /// With `answersBeforeBodies`, each connection is answered once its first head is in
    /// (as real servers answer a 4xx to a body they will not read), and then read slowly:
    /// the script sees the head alone.
    public init(answersBeforeBodies: Bool = false, script: @escaping Script) throws {
        self.script = script
        self.answersBeforeBodies = answersBeforeBodies
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 64) == 0 else { throw TestFailure("scripted upstream cannot listen") }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let this = self
        Thread.detach { this.acceptLoop() }
    }

    public static func reply(status: Int = 200, headers: [String] = [], body: String) -> [UInt8] {
        var text = "HTTP/1.1 \(status) X\r\n"
        for header in headers { text += header + "\r\n" }
        text += "\r\n" + body
        return Array(text.utf8)
    }

    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            accepted.add(1, ordering: .relaxed)
            let this = self
            Thread.detach { this.serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        if answersBeforeBodies {
            answerBeforeBody(fd, &buffer)
            return
        }
        var index = 0
        while true {
            guard let request = readRequest(fd, &buffer) else { return }
            received.withLock { $0.append(request) }
            switch script(request, index) {
            case .reply(let bytes, let closeAfter):
                var offset = 0
                while offset < bytes.count {
                    let count = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if count <= 0 { return }
                    offset += count
                }
                if closeAfter { return }
            case .closeWithoutAnswer:
                return
            case .hang:
                var sink = [UInt8](repeating: 0, count: 1024)
                while recv(fd, &sink, sink.count, 0) > 0 {}
                return
            }
            index += 1
        }
    }

    private func answerBeforeBody(_ fd: Int32, _ buffer: inout [UInt8]) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while Self.headEnd(buffer) == nil {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            buffer.append(contentsOf: chunk[0..<count])
        }
        let end = Self.headEnd(buffer)!
        received.withLock { $0.append(String(decoding: buffer[0..<end], as: UTF8.self)) }
        var rest = Array(buffer[end...])
        if case .reply(let bytes, _) = script(String(decoding: buffer[0..<end], as: UTF8.self), 0) {
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        // A slow reader: 4 KiB every 10 ms, until the client closes or a second has passed.
        for _ in 0..<100 {
            usleep(10_000)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 { break }
            if count > 0 { rest.append(contentsOf: chunk[0..<count]) }
        }
        afterAnswers.withLock { $0.append(String(decoding: rest, as: UTF8.self)) }
    }

    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> String? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = Self.headEnd(buffer) {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                let length =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: " ")) } ?? 0
                if buffer.count >= end + length {
                    let request = String(decoding: buffer[0..<(end + length)], as: UTF8.self)
                    buffer.removeFirst(end + length)
                    return request
                }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13
        {
            return index + 1
        }
        return nil
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> Substring {
        var slice = self
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return slice
    }
}
