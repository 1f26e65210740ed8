public import Logging
import RestgateHTTP
import RestgateJSON
import RestgateServer

#if canImport(Glibc)
    import Glibc
#endif

/// A swift-log handler writing one line per message to stderr. Each line is built whole;
/// lines written on a loop are batched until it next polls (`LogBatch`), so under load one
/// write carries many requests and lines from different loops never interleave.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let format: LogFormat

    public init(label: String, format: LogFormat) {
        self.label = label
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.keys.sorted().map { ($0, merged[$0]!.description) }
        write(line(timestamp: Self.timestamp(), level: event.level, message: event.message.description, fields: fields))
    }

    /// The access log's line, built without swift-log's metadata dictionary (it ran once per
    /// request and cost 4% of a request's CPU); the same bytes `log(event:)` would write.
    func logAccess(_ entry: AccessLogEntry) {
        guard metadata.isEmpty else { return logAccess(Logger.accessFields(entry)) }
        LogBatch.append { line, timestamp in appendAccessLine(entry, timestamp: timestamp, to: &line) }
    }

    func logAccess(_ fields: [(String, String)]) {
        var fields = fields
        if !metadata.isEmpty {
            var merged = metadata.mapValues(\.description)
            for (key, value) in fields { merged[key] = value }
            fields = merged.keys.sorted().map { ($0, merged[$0]!) }
        }
        let line = line(timestamp: Self.timestamp(), level: .info, message: "request", fields: fields)
        write(line)
    }

    /// One log line; `fields` are in key order.
    func line(timestamp: String, level: Logger.Level, message: String, fields: [(String, String)]) -> [UInt8] {
        var line: [UInt8]
        switch format {
        case .json:
            var json = JSONWriter()
            json.beginObject()
            json.member("ts", timestamp)
            json.member("level", level.rawValue)
            json.member("logger", label)
            json.member("msg", message)
            for (key, value) in fields { json.member(key, value) }
            json.endObject()
            line = json.bytes
        case .text:
            line = []
            line.reserveCapacity(160)
            line.append(contentsOf: timestamp.utf8)
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: level.rawValue.utf8)
            line.append(UInt8(ascii: " "))
            Self.appendEscaped(message, to: &line, quoted: false)
            for (key, value) in fields {
                line.append(UInt8(ascii: " "))
                Self.appendEscaped(key, to: &line, quoted: false)
                line.append(UInt8(ascii: "="))
                Self.appendValue(value, to: &line)
            }
        }
        line.append(10)
        return line
    }

    /// A logfmt value: as it is when it is one plain word, else in quotes with quotes,
    /// backslashes and control characters escaped, so a path or an upstream's message can never
    /// end the line or forge a field.
    static func appendValue(_ value: String, to line: inout [UInt8]) {
        let plain = value.withUTF8Bytes { bytes in
            !bytes.isEmpty
                && !bytes.contains { byte in
                    byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\\")
                }
        }
        if plain {
            line.appendUTF8(value)
        } else {
            appendEscaped(value, to: &line, quoted: true)
        }
    }

    /// `text` with control characters (and, when quoted, quotes and backslashes) escaped.
    static func appendEscaped(_ text: String, to line: inout [UInt8], quoted: Bool) {
        if quoted { line.append(UInt8(ascii: "\"")) }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                if quoted { line.append(UInt8(ascii: "\\")) }
                line.append(byte)
            case 10: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 13: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 9: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                line.append(hexDigits[Int(byte >> 4)])
                line.append(hexDigits[Int(byte & 15)])
            default: line.append(byte)
            }
        }
        if quoted { line.append(UInt8(ascii: "\"")) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private func write(_ line: [UInt8]) {
        LogBatch.write(line)
    }

    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return timestamp(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec / 1_000_000))
    }

    /// RFC 3339 UTC with milliseconds (`2026-11-23T14:45:02.735Z`), by arithmetic: glibc's
    /// `gmtime_r` takes the time-zone lock, once per access line on every loop.
    static func timestamp(seconds: Int, milliseconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        // Days since 1970-01-01 to a civil date (H. Hinnant, "chrono-compatible low-level date
        // algorithms"): eras of 400 years, each 146,097 days, starting on March 1st.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var index = 0
            func put(_ value: Int, digits: Int) {
                var rest = value
                for position in stride(from: index + digits - 1, through: index, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                index += digits
            }
            func put(_ byte: Character) {
                buffer[index] = byte.asciiValue!
                index += 1
            }
            put(year, digits: 4)
            put("-")
            put(month, digits: 2)
            put("-")
            put(day, digits: 2)
            put("T")
            put(secondOfDay / 3600, digits: 2)
            put(":")
            put(secondOfDay / 60 % 60, digits: 2)
            put(":")
            put(secondOfDay % 60, digits: 2)
            put(".")
            put(milliseconds, digits: 3)
            put("Z")
            return index
        }
    }
}
