import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// One `GET` over a fresh connection, with one deadline for the whole exchange, that returns
/// the answer's status code: enough for a health check, and nothing a shell would be needed for.
struct HealthProbe {
    struct Failure: Error {
        let reason: String
    }

    let host: String
    let port: Int
    let path: String
    let timeout: Double

    func status() throws(Failure) -> Int {
        let deadline = Instant.now() + .nanoseconds(Int64(timeout * 1e9))
        let descriptor = try connect(before: deadline)
        defer { close(descriptor) }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: restgate-probe\r\nConnection: close\r\n\r\n"
        var bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            try wait(descriptor, for: Int16(POLLOUT), before: deadline)
            let count = bytes.withUnsafeMutableBytes { send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(reason: "sending failed: \(String(cString: strerror(errno)))") }
            sent += count
        }
        bytes.removeAll(keepingCapacity: true)
        var chunk = [UInt8](repeating: 0, count: 512)
        while !bytes.contains(0x0A) {
            guard bytes.count < 4096 else { throw Failure(reason: "the status line is too long") }
            try wait(descriptor, for: Int16(POLLIN), before: deadline)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(reason: count == 0 ? "the connection closed before an answer" : "reading failed") }
            bytes += chunk[..<count]
        }
        return try Self.statusCode(in: bytes)
    }

    /// The code of an `HTTP/1.x NNN …` status line.
    static func statusCode(in bytes: [UInt8]) throws(Failure) -> Int {
        let line = bytes.prefix { $0 != 0x0D && $0 != 0x0A }
        let fields = line.split(separator: 0x20, maxSplits: 2)
        guard fields.count >= 2, fields[0].starts(with: Array("HTTP/1.".utf8)), fields[1].count == 3,
            let code = Int(String(decoding: fields[1], as: UTF8.self))
        else { throw Failure(reason: "not an HTTP answer: \(String(decoding: line.prefix(80), as: UTF8.self))") }
        return code
    }

    private func connect(before deadline: Instant) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw Failure(reason: "cannot resolve \(host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        let descriptor = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(reason: "no socket: \(String(cString: strerror(errno)))") }
        if Glibc.connect(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw Failure(reason: "cannot connect: \(reason)")
            }
            do throws(Failure) {
                try wait(descriptor, for: Int16(POLLOUT), before: deadline)
            } catch {
                close(descriptor)
                throw error
            }
            var problem: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &problem, &length)
            guard problem == 0 else {
                close(descriptor)
                throw Failure(reason: "cannot connect: \(String(cString: strerror(problem)))")
            }
        }
        return descriptor
    }

    private func wait(_ descriptor: Int32, for events: Int16, before deadline: Instant) throws(Failure) {
        while true {
            let now = Instant.now().nanoseconds
            let left = deadline.nanoseconds > now ? Double(deadline.nanoseconds - now) / 1e6 : 0
            guard left > 0 else { throw Failure(reason: "no answer within \(timeout) s") }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left, 60000).rounded(.up)))
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw Failure(reason: "poll failed: \(String(cString: strerror(errno)))") }
        }
    }
}
