public import Logging
public import RestgateServer

extension Logger {
    /// The access log line for one request. It carries no header values, so no token or
    /// `Authorization` value can ever reach the log. With `handler` (the process's own, when it
    /// logs with one) the line is built without swift-log's metadata dictionary, which cost 4%
    /// of a request's CPU; it holds the same bytes either way.
    public func logAccess(_ entry: AccessLogEntry, through handler: StderrLogHandler? = nil) {
        if !entry.ignoredForwarding.isEmpty, logLevel <= .debug {
            debug(
                "ignored a malformed forwarding header; the peer's address, scheme and host are used",
                metadata: [
                    "headers": .string(entry.ignoredForwarding.joined(separator: ",")), "requestId": .string(entry.requestID),
                    "remote": .string(entry.remoteAddress), "ignoredTotal": .stringConvertible(entry.ignoredForwardingTotal),
                ])
        }
        guard logLevel <= .info else { return }
        if let handler { return handler.logAccess(entry) }
        let fields = Self.accessFields(entry)
        info("request", metadata: Dictionary(uniqueKeysWithValues: fields.map { ($0.0, Logger.MetadataValue.string($0.1)) }))
    }

    /// The access line's fields in key order, as every line's metadata is written.
    static func accessFields(_ entry: AccessLogEntry) -> [(String, String)] {
        var fields = [
            ("bytes", String(entry.bytes)), ("durationMs", format3(entry.duration)), ("method", entry.method), ("path", entry.path),
            ("remote", entry.remoteAddress), ("requestId", entry.requestID),
        ]
        if let spanID = entry.spanID { fields.append(("spanId", spanID)) }
        fields.append(("status", String(entry.status)))
        if let traceID = entry.traceID { fields.append(("traceId", traceID)) }
        return fields
    }

    private static func format3(_ duration: Duration) -> String {
        let microseconds = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        let whole = microseconds / 1000
        let fraction = microseconds % 1000
        return "\(whole).\(String(repeating: "0", count: 3 - String(fraction).count))\(fraction)"
    }
}
