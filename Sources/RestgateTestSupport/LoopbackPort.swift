import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import RestgateServer

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback port nothing listens on right now (bound, read, released), for a process or
/// server a test starts, or a connect that must be refused.
public enum LoopbackPort {
    public static func free() throws -> UInt16 {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("no free loopback port") }
        return UInt16(bigEndian: address.sin_port)
    }
}
