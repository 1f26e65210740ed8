/// The few protobuf wire types OTLP's trace messages use (proto3, field numbers from
/// opentelemetry-proto's trace.proto, common.proto and resource.proto).
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func tag(_ field: Int, _ wireType: UInt64) {
        varint(UInt64(field) << 3 | wireType)
    }

    mutating func uint(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, 0)
        varint(value)
    }

    mutating func int64(_ field: Int, _ value: Int64) {
        tag(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, 1)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func fixed32(_ field: Int, _ value: UInt32) {
        tag(field, 5)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func data(_ field: Int, _ value: [UInt8]) {
        tag(field, 2)
        varint(UInt64(value.count))
        bytes += value
    }

    /// A string field, even when empty (an `AnyValue`'s string must be present to be set).
    mutating func text(_ field: Int, _ value: String) {
        tag(field, 2)
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        text(field, value)
    }

    /// A nested message, written in place by `body`; its length prefix goes in front of it
    /// afterwards (one byte moved for most messages, which are under 128 bytes), so no
    /// message needs a buffer of its own.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        tag(field, 2)
        let start = bytes.count
        body(&self)
        var length = UInt64(bytes.count - start)
        if length < 0x80 {
            bytes.insert(UInt8(length), at: start)
            return
        }
        var prefix: [UInt8] = []
        while length >= 0x80 {
            prefix.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        prefix.append(UInt8(length))
        bytes.insert(contentsOf: prefix, at: start)
    }

    /// An id field (16 bytes for a trace, 8 for a span), big-endian, as OTLP sends ids.
    mutating func id(_ field: Int, _ values: UInt64...) {
        tag(field, 2)
        varint(UInt64(values.count * 8))
        for value in values { bytes.append(contentsOf: Self.bigEndian(value)) }
    }

    /// The eight bytes of `value`, most significant first.
    static func bigEndian(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
