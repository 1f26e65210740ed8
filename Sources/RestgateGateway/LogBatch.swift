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
    private var stamp = CachedTimestamp()
    static let limit = 4096

    /// Writes `line` now, or joins the running loop's batch.
    static func write(_ line: [UInt8]) {
        guard let batch = current else { return writeToStderr(line[...]) }
        batch.append(line)
    }

    /// Builds a line in place at the end of the running loop's batch; `build` is given the
    /// batch and the current RFC 3339 timestamp. Off a loop the line is built and written alone.
    static func append(_ build: (inout [UInt8], [UInt8]) -> Void) {
        guard let batch = current else {
            var line: [UInt8] = []
            build(&line, Array(StderrLogHandler.timestamp().utf8))
            return writeToStderr(line[...])
        }
        let start = batch.pending.count
        build(&batch.pending, batch.stamp.now())
        guard batch.pending.count > Self.limit else { return }
        // Over the limit: what came before this line goes first, then the line itself goes at
        // once if it alone is too long, or starts the next batch.
        if start > 0 { writeToStderr(batch.pending[..<start]) }
        if batch.pending.count - start > Self.limit {
            writeToStderr(batch.pending[start...])
            batch.pending.removeAll(keepingCapacity: true)
        } else if start > 0 {
            batch.pending.removeFirst(start)
        }
    }

    private static var current: LogBatch? {
        guard let loop = EventLoop.current else { return nil }
        return loop.local(LogBatch.self) {
            let batch = LogBatch()
            loop.beforePolling { batch.flush() }
            return batch
        }
    }

    private func append(_ line: [UInt8]) {
        if pending.count + line.count > Self.limit { flush() }
        if line.count > Self.limit { return Self.writeToStderr(line[...]) }
        pending.append(contentsOf: line)
    }

    private func flush() {
        guard !pending.isEmpty else { return }
        Self.writeToStderr(pending[...])
        pending.removeAll(keepingCapacity: true)
    }

    private static func writeToStderr(_ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }  // a closed or full stderr must not stop the loop
            offset += written
        }
    }
}
