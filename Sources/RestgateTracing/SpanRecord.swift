/// One finished span, as it is exported.
public struct SpanRecord: Sendable {
    public enum Kind: Int, Sendable {
        case server = 2
        case client = 3
    }

    public enum StatusCode: Int, Sendable {
        case unset = 0
        case error = 2
    }

    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case strings([String])
    }

    public var traceIDHigh: UInt64
    public var traceIDLow: UInt64
    public var spanID: UInt64
    public var parentSpanID: UInt64?
    public var traceState: String?
    public var name: String
    public var kind: Kind
    public var startUnixNanoseconds: UInt64
    public var endUnixNanoseconds: UInt64
    public var attributes: [(key: String, value: Value)]
    public var status: StatusCode = .unset
    public var statusMessage = ""
}
