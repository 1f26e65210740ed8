import CLinux
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// A resolved socket address. Resolution (getaddrinfo, which may block on DNS) never happens on
/// an event loop: `HostAddress` resolves at start and again on its own thread.
package struct SocketAddress: Sendable, Equatable {
    package let family: Int32
    package let bytes: [UInt8]

    package static func resolve(host: String, port: UInt16) throws(UpstreamError) -> SocketAddress {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw .unavailable("cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        let raw = UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen))
        return SocketAddress(family: first.pointee.ai_family, bytes: Array(raw))
    }

    /// Whether `host` is an IPv4 or IPv6 literal, which needs no DNS.
    package static func isNumeric(_ host: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }

    /// Starts a non-blocking connect; returns the socket and whether it is already connected.
    package func connect() throws(UpstreamError) -> (descriptor: Int32, connected: Bool) {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .unavailable("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = bytes.withUnsafeBytes { raw in
            Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if result == 0 { return (fd, true) }
        let code = errno
        guard code == EINPROGRESS else {
            close(fd)
            throw code == ECONNREFUSED ? .connectionRefused("errno \(code)") : .unavailable("connect: errno \(code)")
        }
        return (fd, false)
    }
}
