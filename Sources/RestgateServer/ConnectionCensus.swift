/// The server's open connections by what they are doing, counted on each loop when asked.
public struct ConnectionCensus: Sendable, Equatable {
    /// Kept alive between requests.
    public var idle = 0
    /// A request's head or body under way.
    public var reading = 0
    /// A request with the responder, or its answer being written.
    public var active = 0
    /// Answered and closing: the write side is shut and the last bytes are drained.
    public var closing = 0

    public init() {}

    public static func + (left: ConnectionCensus, right: ConnectionCensus) -> ConnectionCensus {
        var sum = left
        sum.idle += right.idle
        sum.reading += right.reading
        sum.active += right.active
        sum.closing += right.closing
        return sum
    }
}
