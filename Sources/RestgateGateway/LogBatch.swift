import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Log lines written on an event loop, held until the loop next polls and then written with
/// one `write(2)`: a busy loop makes one system call for many requests instead of one each.
/// A batch never exceeds PIPE_BUF (4,096 bytes), up to which a write to a pipe is atomic, so
/// lines from different loops never interleave. Off a loop, a line is written at once.
final class LogBatch {
    private var pending: [UInt8] = []
    static let limit = 4096

    /// Writes `line` now, or joins the running loop's batch.
    static func write(_ line: [UInt8]) {
        guard let loop = EventLoop.current else { return writeToStderr(line) }
        let batch = loop.local(LogBatch.self) {
            let batch = LogBatch()
            loop.beforePolling { batch.flush() }
            return batch
        }
        batch.append(line)
    }

    private func append(_ line: [UInt8]) {
        if pending.count + line.count > Self.limit { flush() }
        if line.count > Self.limit { return Self.writeToStderr(line) }
        pending.append(contentsOf: line)
    }

    private func flush() {
        guard !pending.isEmpty else { return }
        Self.writeToStderr(pending)
        pending.removeAll(keepingCapacity: true)
    }

    private static func writeToStderr(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }  // a closed or full stderr must not stop the loop
            offset += written
        }
    }
}
