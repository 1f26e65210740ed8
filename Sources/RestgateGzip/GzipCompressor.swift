import CZlib

/// gzip compression for response bodies. One deflater per window size is kept per event
/// loop and reset between uses: zlib's allocation (up to ~256 KiB at the default window) is
/// paid once, and a small body uses a small window and little memory (zlib's memory is
/// 2^(windowBits+2) + 2^(memLevel+9) bytes), so compressing a 300-byte answer stays cheap.
package final class GzipCompressor {
    private var streams: [Int: UnsafeMutablePointer<z_stream>] = [:]
    package let level: Int32

    package init(level: Int32) {
        self.level = level
    }

    deinit {
        for stream in streams.values {
            deflateEnd(stream)
            stream.deallocate()
        }
    }

    /// The smallest window (9...15 bits) that covers the whole body.
    package static func windowBits(for size: Int) -> Int32 {
        var bits: Int32 = 9
        while bits < 15, (1 << bits) < size { bits += 1 }
        return bits
    }

    package func compress(_ input: [UInt8]) -> [UInt8] {
        let bits = Self.windowBits(for: input.count)
        guard let stream = stream(windowBits: bits) else { return [] }
        deflateReset(stream)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(input.count))) + 32)
        let produced = input.withUnsafeBufferPointer { source -> Int in
            output.withUnsafeMutableBufferPointer { target -> Int in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.pointee.avail_in = UInt32(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = UInt32(target.count)
                let status = deflate(stream, Z_FINISH)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                return status == Z_STREAM_END ? target.count - Int(stream.pointee.avail_out) : -1
            }
        }
        guard produced >= 0 else { return [] }
        output.removeLast(output.count - produced)
        return output
    }

    private func stream(windowBits bits: Int32) -> UnsafeMutablePointer<z_stream>? {
        if let stream = streams[Int(bits)] { return stream }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // +16 asks for a gzip wrapper; memLevel shrinks with the window (8 at 15 bits).
        guard restgate_deflateInit2(stream, level, bits + 16, max(1, bits - 7)) == Z_OK else {
            stream.deallocate()
            return nil
        }
        streams[Int(bits)] = stream
        return stream
    }
}
