import CZlib

/// gzip decompression of request bodies, refusing output beyond `limit` as it goes (a small
/// zip bomb never gets to allocate its expansion). Concatenated members are accepted, as
/// RFC 1952 allows.
package final class GzipDecompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private let ready: Bool

    package init() {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        ready = restgate_inflateInit2(stream, 15 + 16) == Z_OK
    }

    deinit {
        if ready { inflateEnd(stream) }
        stream.deallocate()
    }

    package func decompress(_ input: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        guard ready, !input.isEmpty else { throw .corrupt }
        inflateReset(stream)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        var failure: GzipError?
        input.withUnsafeBufferPointer { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            defer { stream.pointee.next_in = nil }
            while failure == nil {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { target in
                    stream.pointee.next_out = target.baseAddress
                    stream.pointee.avail_out = UInt32(target.count)
                    defer { stream.pointee.next_out = nil }
                    let status = inflate(stream, Z_NO_FLUSH)
                    return (status, target.count - Int(stream.pointee.avail_out))
                }
                if output.count + produced > limit {
                    failure = .tooLarge
                    break
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    guard stream.pointee.avail_in > 0 else { return }
                    inflateReset(stream)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced > 0:
                    continue
                default:
                    failure = .corrupt
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
