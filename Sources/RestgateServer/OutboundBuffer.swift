import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// The bytes of a connection's answers that the kernel has not taken yet, in order, as a
/// value with no I/O: answers are appended whole, `withVectors` lends the unsent bytes to one
/// `sendmsg`, and `advance` drops what it took.
struct OutboundBuffer {
    private var chunks: [[UInt8]] = []
    /// How much of the first chunk was already sent.
    private var offset = 0
    /// Unsent bytes in all.
    private(set) var count = 0

    /// At most this many chunks go to one `sendmsg`.
    static let maxVectors = 16

    var isEmpty: Bool { chunks.isEmpty }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        count += bytes.count
        chunks.append(bytes)
    }

    /// Calls `body` with an iovec for each of the first chunks' unsent bytes.
    func withVectors<Result>(_ body: (UnsafeMutableBufferPointer<iovec>) -> Result) -> Result {
        let used = min(chunks.count, Self.maxVectors)
        var vectors = [iovec](repeating: iovec(), count: used)
        return withExtendedLifetime(chunks) {
            for index in 0..<used {
                let start = index == 0 ? offset : 0
                chunks[index].withUnsafeBufferPointer { buffer in
                    vectors[index] = iovec(
                        iov_base: UnsafeMutableRawPointer(mutating: buffer.baseAddress! + start), iov_len: buffer.count - start)
                }
            }
            return vectors.withUnsafeMutableBufferPointer { body($0) }
        }
    }

    /// Drops the first `written` unsent bytes.
    mutating func advance(by written: Int) {
        precondition(written >= 0 && written <= count, "advanced past the queued bytes")
        count -= written
        var remaining = written
        while remaining > 0, let first = chunks.first {
            let left = first.count - offset
            if remaining >= left {
                remaining -= left
                chunks.removeFirst()
                offset = 0
            } else {
                offset += remaining
                remaining = 0
            }
        }
    }

    /// Drops everything; returns how many bytes were unsent.
    mutating func removeAll() -> Int {
        defer {
            chunks = []
            offset = 0
            count = 0
        }
        return count
    }
}
