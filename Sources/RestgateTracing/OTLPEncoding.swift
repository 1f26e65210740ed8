import RestgateJSON

/// An OTLP/HTTP trace export body (`ExportTraceServiceRequest`), in protobuf or in the
/// specification's JSON encoding (ids as hex, enums as numbers, 64-bit integers as strings).
public enum OTLPEncoding: String, Sendable {
    case protobuf = "http/protobuf"
    case json = "http/json"

    public var contentType: String { self == .protobuf ? "application/x-protobuf" : "application/json" }

    static let scopeName = "restgate"

    func encode(_ spans: [SpanRecord], resource: [(key: String, value: String)], scopeVersion: String) -> [UInt8] {
        switch self {
        case .protobuf: Self.protobuf(spans, resource: resource, scopeVersion: scopeVersion)
        case .json: Self.json(spans, resource: resource, scopeVersion: scopeVersion)
        }
    }

    // MARK: protobuf

    private static func protobuf(_ spans: [SpanRecord], resource: [(key: String, value: String)], scopeVersion: String) -> [UInt8] {
        var request = ProtobufWriter(capacity: 64 + spans.count * 400)
        request.message(1) { resourceSpans in  // ExportTraceServiceRequest.resource_spans
            resourceSpans.message(1) { message in  // ResourceSpans.resource
                for (key, value) in resource { message.message(1) { keyValue(&$0, key, .string(value)) } }
            }
            resourceSpans.message(2) { scopeSpans in  // ResourceSpans.scope_spans
                scopeSpans.message(1) { scope in  // ScopeSpans.scope
                    scope.string(1, scopeName)
                    scope.string(2, scopeVersion)
                }
                for span in spans { scopeSpans.message(2) { write(span, into: &$0) } }
            }
        }
        return request.bytes
    }

    private static func write(_ span: SpanRecord, into message: inout ProtobufWriter) {
        message.id(1, span.traceIDHigh, span.traceIDLow)
        message.id(2, span.spanID)
        message.string(3, span.traceState ?? "")
        if let parent = span.parentSpanID { message.id(4, parent) }
        message.string(5, span.name)
        message.uint(6, UInt64(span.kind.rawValue))
        message.fixed64(7, span.startUnixNanoseconds)
        message.fixed64(8, span.endUnixNanoseconds)
        for (key, value) in span.attributes { message.message(9) { keyValue(&$0, key, value) } }
        if span.status != .unset || !span.statusMessage.isEmpty {
            message.message(15) { status in
                status.string(2, span.statusMessage)
                status.uint(3, UInt64(span.status.rawValue))
            }
        }
        // Span.flags: the sampled bit, and bit 8 (HAS_IS_REMOTE) with 9 when the parent is remote.
        message.fixed32(16, 0x01)
    }

    private static func keyValue(_ message: inout ProtobufWriter, _ key: String, _ value: SpanRecord.Value) {
        message.string(1, key)
        message.message(2) { anyValue(&$0, value) }
    }

    private static func anyValue(_ message: inout ProtobufWriter, _ value: SpanRecord.Value) {
        switch value {
        case .string(let text): message.text(1, text)
        case .int(let number): message.int64(3, number)
        case .strings(let texts):
            message.message(5) { array in
                for text in texts { array.message(1) { $0.text(1, text) } }
            }
        }
    }

    // MARK: JSON

    private static func json(_ spans: [SpanRecord], resource: [(key: String, value: String)], scopeVersion: String) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("resourceSpans")
        json.beginArray()
        json.beginObject()
        json.key("resource")
        json.beginObject()
        json.key("attributes")
        json.beginArray()
        for (key, value) in resource { attribute(&json, key, .string(value)) }
        json.endArray()
        json.endObject()
        json.key("scopeSpans")
        json.beginArray()
        json.beginObject()
        json.key("scope")
        json.beginObject()
        json.member("name", scopeName)
        json.member("version", scopeVersion)
        json.endObject()
        json.key("spans")
        json.beginArray()
        for span in spans { write(span, into: &json) }
        json.endArray()
        json.endObject()
        json.endArray()
        json.endObject()
        json.endArray()
        json.endObject()
        return json.bytes
    }

    private static func write(_ span: SpanRecord, into json: inout JSONWriter) {
        json.beginObject()
        json.member("traceId", hex(ProtobufWriter.bigEndian(span.traceIDHigh) + ProtobufWriter.bigEndian(span.traceIDLow)))
        json.member("spanId", hex(ProtobufWriter.bigEndian(span.spanID)))
        if let state = span.traceState { json.member("traceState", state) }
        if let parent = span.parentSpanID { json.member("parentSpanId", hex(ProtobufWriter.bigEndian(parent))) }
        json.member("name", span.name)
        json.member("kind", span.kind.rawValue)
        json.member("startTimeUnixNano", String(span.startUnixNanoseconds))
        json.member("endTimeUnixNano", String(span.endUnixNanoseconds))
        json.key("attributes")
        json.beginArray()
        for (key, value) in span.attributes { attribute(&json, key, value) }
        json.endArray()
        if span.status != .unset || !span.statusMessage.isEmpty {
            json.key("status")
            json.beginObject()
            if !span.statusMessage.isEmpty { json.member("message", span.statusMessage) }
            json.member("code", span.status.rawValue)
            json.endObject()
        }
        json.member("flags", 1)
        json.endObject()
    }

    private static func attribute(_ json: inout JSONWriter, _ key: String, _ value: SpanRecord.Value) {
        json.beginObject()
        json.member("key", key)
        json.key("value")
        json.beginObject()
        switch value {
        case .string(let text): json.member("stringValue", text)
        case .int(let number): json.member("intValue", String(number))
        case .strings(let texts):
            json.key("arrayValue")
            json.beginObject()
            json.key("values")
            json.beginArray()
            for text in texts {
                json.beginObject()
                json.member("stringValue", text)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endObject()
        json.endObject()
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
