public import Logging
public import RestgateHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// How log lines are written: `text` for people, `json` for log pipelines.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// A swift-log handler writing one line per message to stderr. Each line is built whole and
/// written with one `write(2)`, so lines from different loops never interleave.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let format: LogFormat

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
        let timestamp = Self.timestamp()
        var line: [UInt8]
        switch format {
        case .json:
            var json = JSONWriter()
            json.beginObject()
            json.member("ts", timestamp)
            json.member("level", event.level.rawValue)
            json.member("logger", label)
            json.member("msg", event.message.description)
            for key in merged.keys.sorted() { json.member(key, merged[key]!.description) }
            json.endObject()
            line = json.bytes
        case .text:
            var text = "\(timestamp) \(event.level.rawValue) \(event.message)"
            for key in merged.keys.sorted() { text += " \(key)=\(merged[key]!)" }
            line = Array(text.utf8)
        }
        line.append(10)
        line.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    private static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}

extension Logger {
    /// The access log line for one request. It carries no header values, so no token or
    /// `Authorization` value can ever reach the log.
    public func logAccess(_ entry: AccessLogEntry) {
        info(
            "request",
            metadata: [
                "method": .string(entry.method),
                "path": .string(entry.path),
                "status": .stringConvertible(entry.status),
                "durationMs": .string(String(format3(entry.duration))),
                "bytes": .stringConvertible(entry.bytes),
                "requestId": .string(entry.requestID),
                "remote": .string(entry.remoteAddress),
            ])
    }

    private func format3(_ duration: Duration) -> String {
        let microseconds = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        let whole = microseconds / 1000
        let fraction = microseconds % 1000
        return "\(whole).\(String(repeating: "0", count: 3 - String(fraction).count))\(fraction)"
    }
}
