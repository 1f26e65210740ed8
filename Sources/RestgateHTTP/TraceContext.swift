/// A W3C Trace Context (level 1) position in a trace: the `traceparent` header's trace id,
/// parent span id and sampled flag, with the `tracestate` that travels beside it.
public struct TraceContext: Sendable, Equatable {
    /// 16 bytes, never all zero, as two big-endian halves.
    public var traceIDHigh: UInt64
    public var traceIDLow: UInt64
    /// 8 bytes, never zero.
    public var spanID: UInt64
    public var sampled: Bool
    public var traceState: String?

    public init(traceIDHigh: UInt64, traceIDLow: UInt64, spanID: UInt64, sampled: Bool, traceState: String? = nil) {
        self.traceIDHigh = traceIDHigh
        self.traceIDLow = traceIDLow
        self.spanID = spanID
        self.sampled = sampled
        self.traceState = traceState
    }

    /// Reads a `traceparent` value; nil for anything the specification says to ignore: a
    /// version of `ff`, a version-00 value that is not exactly 55 characters, upper-case or
    /// non-hex digits, an all-zero trace or span id. A later version is read by its version-00
    /// prefix, as the specification asks.
    public init?(traceparent: String, traceState: String? = nil) {
        let bytes = Array(traceparent.utf8)
        guard bytes.count >= 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-"),
            let version = Self.hex(bytes[0..<2]), version != 0xFF,
            version == 0 ? bytes.count == 55 : (bytes.count == 55 || bytes[55] == UInt8(ascii: "-")),
            let high = Self.hex(bytes[3..<19]), let low = Self.hex(bytes[19..<35]), high != 0 || low != 0,
            let span = Self.hex(bytes[36..<52]), span != 0, let flags = Self.hex(bytes[53..<55])
        else { return nil }
        self.init(traceIDHigh: high, traceIDLow: low, spanID: span, sampled: flags & 1 == 1, traceState: traceState)
    }

    /// The `traceparent` value for this position (version 00).
    public var traceparent: String { "00-\(traceIDHex)-\(spanIDHex)-\(sampled ? "01" : "00")" }
    public var traceIDHex: String { Self.hex(traceIDHigh) + Self.hex(traceIDLow) }
    public var spanIDHex: String { Self.hex(spanID) }

    /// The same trace and sampling decision at another span.
    public func child(spanID: UInt64) -> TraceContext {
        TraceContext(traceIDHigh: traceIDHigh, traceIDLow: traceIDLow, spanID: spanID, sampled: sampled, traceState: traceState)
    }

    private static func hex(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { text in
            var rest = value
            for index in stride(from: 15, through: 0, by: -1) {
                text[index] = UInt8(truncatingIfNeeded: rest & 0xF) &+ (rest & 0xF < 10 ? 48 : 87)
                rest >>= 4
            }
            return 16
        }
    }

    /// Lower-case hex only: the specification forbids upper case.
    private static func hex(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}
