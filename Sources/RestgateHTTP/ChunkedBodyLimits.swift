/// Limits on a chunked body: its decoded size and its trailer section.
public struct ChunkedBodyLimits: Sendable {
    public var maxBodyBytes: Int
    public var maxTrailerBytes: Int
    public var maxTrailerCount: Int
    /// A chunk-size line with its extensions; a longer one is an attack, not a request.
    public var maxChunkLineBytes: Int

    public init(maxBodyBytes: Int, maxTrailerBytes: Int = 16384, maxTrailerCount: Int = 100, maxChunkLineBytes: Int = 4096) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
        self.maxTrailerCount = maxTrailerCount
        self.maxChunkLineBytes = maxChunkLineBytes
    }
}
