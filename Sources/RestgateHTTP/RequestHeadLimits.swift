/// Limits on what a request head may be; each has its own status when exceeded.
public struct RequestHeadLimits: Sendable {
    public var maxTargetLength: Int
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int

    public init(maxTargetLength: Int = 8192, maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100) {
        self.maxTargetLength = maxTargetLength
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
    }
}
