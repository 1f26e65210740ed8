import CLinux
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The listening socket of one loop: accepts until the kernel has no more, then waits.
package final class Listener: EventHandler {
    package let descriptor: Int32
    unowned let context: ServerLoopContext
    private var isClosed = false

    package init(descriptor: Int32, context: ServerLoopContext) {
        self.descriptor = descriptor
        self.context = context
    }

    package func handleEvents(_ events: UInt32) {
        // Bounded, so that a flood of connections cannot starve the loop's other sockets.
        for _ in 0..<64 {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    restgate_accept4(descriptor, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: pauseAccepting()
                default: break
                }
                return
            }
            context.statistics.accepted.add(1, ordering: .relaxed)
            let open = context.statistics.open.add(1, ordering: .relaxed).newValue
            if open > context.configuration.maxConnections {
                context.statistics.open.subtract(1, ordering: .relaxed)
                context.refuse(descriptor: fd)
                continue
            }
            Socket.setNoDelay(fd)
            context.adopt(descriptor: fd, remoteAddress: Socket.addressText(&address))
        }
    }

    /// Out of descriptors: stop asking for a moment instead of spinning on the same error.
    private func pauseAccepting() {
        context.loop.setInterest(descriptor, .none)
        context.loop.schedule(after: .milliseconds(100)) { [weak self] in
            guard let self, !self.isClosed else { return }
            self.context.loop.setInterest(self.descriptor, .read)
        }
    }

    package func close() {
        guard !isClosed else { return }
        isClosed = true
        context.loop.deregister(descriptor)
        Glibc.close(descriptor)
    }
}
