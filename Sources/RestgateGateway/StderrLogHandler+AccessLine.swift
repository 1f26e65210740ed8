import RestgateHTTP
import RestgateJSON
import RestgateServer

/// The access line written straight into bytes: the same line `line(timestamp:level:message:
/// fields:)` makes of `Logger.accessFields`, without the array of fields and a `String` per
/// number. It runs once per request, and the general path cost 19k instructions of one.
extension StderrLogHandler {
    func appendAccessLine(_ entry: AccessLogEntry, timestamp: [UInt8], to line: inout [UInt8]) {
        switch format {
        case .text:
            line.append(contentsOf: timestamp)
            line.appendLiteral(" info request")
        case .json:
            line.appendLiteral(#"{"ts":"#)
            line.append(UInt8(ascii: "\""))
            line.append(contentsOf: timestamp)
            line.appendLiteral(#"","level":"info","logger":"#)
            JSONWriter.appendString(label, to: &line)
            line.appendLiteral(#","msg":"request""#)
        }
        appendKey("bytes", to: &line)
        appendNumber(entry.bytes, fraction: nil, to: &line)
        appendKey("durationMs", to: &line)
        let microseconds = entry.duration.components.seconds * 1_000_000 + entry.duration.components.attoseconds / 1_000_000_000_000
        appendNumber(Int(microseconds / 1000), fraction: Int(microseconds % 1000), to: &line)
        appendField("method", entry.method, to: &line)
        appendField("path", entry.path, to: &line)
        appendField("remote", entry.remoteAddress, to: &line)
        appendField("requestId", entry.requestID, to: &line)
        if let spanID = entry.spanID { appendField("spanId", spanID, to: &line) }
        appendKey("status", to: &line)
        appendNumber(entry.status, fraction: nil, to: &line)
        if let traceID = entry.traceID { appendField("traceId", traceID, to: &line) }
        if format == .json { line.append(UInt8(ascii: "}")) }
        line.append(10)
    }

    /// A key of the access line: plain words, so neither format escapes them.
    private func appendKey(_ key: StaticString, to line: inout [UInt8]) {
        line.append(format == .json ? UInt8(ascii: ",") : UInt8(ascii: " "))
        if format == .json { line.append(UInt8(ascii: "\"")) }
        line.appendLiteral(key)
        if format == .json { line.appendLiteral(#"":"#) } else { line.append(UInt8(ascii: "=")) }
    }

    private func appendField(_ key: StaticString, _ value: String, to line: inout [UInt8]) {
        appendKey(key, to: &line)
        switch format {
        case .text: Self.appendValue(value, to: &line)
        case .json: JSONWriter.appendString(value, to: &line)
        }
    }

    /// A number's decimal digits (quoted in JSON, as every field's value is a string there),
    /// with three digits of `fraction` after a point when it is given.
    private func appendNumber(_ value: Int, fraction: Int?, to line: inout [UInt8]) {
        if format == .json { line.append(UInt8(ascii: "\"")) }
        line.appendDecimal(value)
        if let fraction {
            line.append(UInt8(ascii: "."))
            line.append(UInt8(ascii: "0") + UInt8(fraction / 100))
            line.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
            line.append(UInt8(ascii: "0") + UInt8(fraction % 10))
        }
        if format == .json { line.append(UInt8(ascii: "\"")) }
    }
}
