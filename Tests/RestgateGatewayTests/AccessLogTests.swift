import Logging
import RestgateTestSupport
import Testing

@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateSandbox
@testable import RestgateServer
@testable import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Access log lines")
struct AccessLogTests {
    let entry = AccessLogEntry(
        method: "POST", path: "/invitations", status: 201, duration: .microseconds(1_042), bytes: 612,
        requestID: "6c1e0d2a-5b3f-4e7a-9c8d-1f2e3a4b5c6d", remoteAddress: "127.0.0.1")

    @Test func fieldsComeInKeyOrderLikeEveryOtherLine() {
        let keys = Logger.accessFields(entry).map(\.0)
        #expect(keys == keys.sorted())
        #expect(Logger.accessFields(entry).first { $0.0 == "durationMs" }?.1 == "1.042")
    }

    @Test func textAndJSONLinesHoldEveryField() throws {
        let fields = Logger.accessFields(entry)
        let text = StderrLogHandler(label: "restgate", format: .text)
        #expect(
            String(decoding: text.line(timestamp: "T", level: .info, message: "request", fields: fields), as: UTF8.self)
                == "T info request bytes=612 durationMs=1.042 method=POST path=/invitations remote=127.0.0.1 "
                + "requestId=6c1e0d2a-5b3f-4e7a-9c8d-1f2e3a4b5c6d status=201\n")
        let json = StderrLogHandler(label: "restgate", format: .json)
        let line = json.line(timestamp: "T", level: .info, message: "request", fields: fields)
        let parsed = try JSONParser.parse(Array(line.dropLast()))
        #expect(parsed["msg"] == .string("request"))
        #expect(parsed["status"] == .string("201"))
        #expect(parsed["path"] == .string("/invitations"))
    }

    /// The line written in place for each request holds the bytes of the general path, in
    /// both formats, with and without a trace, and with values that need quoting or escaping.
    @Test(arguments: LogFormat.allCases)
    func theInPlaceLineEqualsTheGeneralOne(format: LogFormat) {
        var traced = entry
        traced.traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        traced.spanID = "00f067aa0ba902b7"
        traced.path = "/risk-groups?name=a b\"c\n"
        traced.duration = .seconds(12) + .microseconds(7)
        traced.bytes = 0
        var slow = entry
        slow.duration = .microseconds(999)
        slow.status = 503
        slow.bytes = 1_234_567_890
        let handler = StderrLogHandler(label: "rest\"gate", format: format)
        let stamp = Array("2026-12-02T19:04:05.006Z".utf8)
        for sample in [entry, traced, slow] {
            var line = Array("earlier line\n".utf8)
            handler.appendAccessLine(sample, timestamp: stamp, to: &line)
            let general = handler.line(
                timestamp: String(decoding: stamp, as: UTF8.self), level: .info, message: "request", fields: Logger.accessFields(sample))
            #expect(String(decoding: line.dropFirst(13), as: UTF8.self) == String(decoding: general, as: UTF8.self))
        }
    }

    @Test func decimalsAreWrittenLikeStringOfInt() {
        for value in [0, 7, 10, 99, 100, 65_535, -1, -42, Int.max, Int.min] {
            var bytes: [UInt8] = []
            bytes.appendDecimal(value)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }
}

@Suite("Log timestamps")
struct LogTimestampTests {
    /// The cached timestamp writes only the milliseconds within a second and makes the whole
    /// stamp again when the second changes; each stamp equals the one made from scratch.
    @Test func theCachedStampEqualsAFreshOne() {
        var cache = CachedTimestamp()
        let times = [
            (1_764_700_000, 0), (1_764_700_000, 5), (1_764_700_000, 999), (1_764_700_001, 42), (1_767_225_599, 998), (1_767_225_600, 1),
        ]
        for (seconds, milliseconds) in times {
            let stamp = String(decoding: cache.at(seconds: seconds, milliseconds: milliseconds), as: UTF8.self)
            #expect(stamp == StderrLogHandler.timestamp(seconds: seconds, milliseconds: milliseconds))
        }
    }

    /// The reference: glibc's calendar, as the log used to be formatted.
    private func reference(_ seconds: Int, _ milliseconds: Int) -> String {
        var value = seconds
        var parts = tm()
        gmtime_r(&value, &parts)
        func pad(_ number: Int, _ width: Int) -> String {
            String(repeating: "0", count: max(0, width - String(number).count)) + String(number)
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(milliseconds, 3))Z"
    }

    @Test func theCalendarArithmeticAgreesWithGlibcFrom1970To2199() {
        var mismatches: [String] = []
        // A step prime to 86,400 visits every time of day and every date's neighbourhood.
        for seconds in stride(from: 0, to: 7_258_118_400, by: 86_399 * 3 + 7) {
            let milliseconds = seconds % 1000
            let found = StderrLogHandler.timestamp(seconds: seconds, milliseconds: milliseconds)
            if found != reference(seconds, milliseconds) { mismatches.append(found) }
        }
        #expect(mismatches.isEmpty)
        // Leap days, century rules, and the last millisecond of a year.
        for (seconds, expected) in [
            (951_782_400, "2000-02-29T00:00:00.000Z"), (4_107_542_399, "2100-02-28T23:59:59.000Z"),
            (4_107_542_400, "2100-03-01T00:00:00.000Z"), (1_798_761_599, "2026-12-31T23:59:59.000Z"), (0, "1970-01-01T00:00:00.000Z"),
        ] {
            #expect(StderrLogHandler.timestamp(seconds: seconds, milliseconds: 0) == expected)
        }
        #expect(StderrLogHandler.timestamp(seconds: 1_798_761_599, milliseconds: 999) == "2026-12-31T23:59:59.999Z")
    }
}

@Suite("Text log escaping")
struct LogEscapingTests {
    private func text(_ message: String, _ fields: [(String, String)]) -> String {
        let handler = StderrLogHandler(label: "restgate", format: .text)
        return String(decoding: handler.line(timestamp: "T", level: .warning, message: message, fields: fields), as: UTF8.self)
    }

    @Test func plainValuesStayAsTheyAre() {
        #expect(text("request", [("path", "/invitations/1"), ("status", "201")]) == "T warning request path=/invitations/1 status=201\n")
    }

    /// An upstream's message with a newline used to forge a second log line.
    @Test func aValueCanNeitherEndTheLineNorForgeAField() {
        let forged = "no\nT info request path=/admin status=200"
        let line = text("upstream fault", [("detail", forged), ("quote", #"say "hi" \ bye"#), ("empty", ""), ("eq", "a=b")])
        #expect(line.filter { $0 == "\n" }.count == 1)
        #expect(
            line
                == #"T warning upstream fault detail="no\nT info request path=/admin status=200" quote="say \"hi\" \\ bye" empty="" eq="a=b""#
                + "\n")
    }

    @Test func controlCharactersAreEscapedInMessagesToo() {
        #expect(text("bad\r\nthing\u{1}\u{7F}", []) == "T warning bad\\r\\nthing\\u0001\\u007f\n")
    }
}

/// A forwarding header from a trusted proxy that could not be read is counted in a debug
/// line of its own (issue 11); nothing of it shows at the default info level.
@Suite("Ignored forwarding headers in the log")
struct IgnoredForwardingLogTests {
    private final class Capture: @unchecked Sendable {
        // Only the test's own thread logs through it.
        var events: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []
    }

    private struct CapturingHandler: LogHandler {
        let capture: Capture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.events.append((event.level, event.message.description, event.metadata ?? [:]))
        }
    }

    private func log(at level: Logger.Level) -> [(level: Logger.Level, message: String, metadata: Logger.Metadata)] {
        let capture = Capture()
        let logger = Logger(label: "test") { _ in CapturingHandler(capture: capture, logLevel: level) }
        var entry = AccessLogEntry(
            method: "GET", path: "/x", status: 200, duration: .milliseconds(1), bytes: 2, requestID: "r-1", remoteAddress: "127.0.0.1")
        entry.ignoredForwarding = ["Forwarded"]
        entry.ignoredForwardingTotal = 7
        logger.logAccess(entry)
        return capture.events
    }

    @Test func atDebugLevelTheIgnoredHeaderAndTheRunningCountAreLogged() {
        let events = log(at: .debug)
        #expect(events.map(\.level) == [.debug, .info])
        #expect(events[0].metadata["headers"] == "Forwarded")
        #expect(events[0].metadata["ignoredTotal"]?.description == "7")
        #expect(events[0].metadata["requestId"] == "r-1")
        #expect(events[1].message == "request")
    }

    @Test func atInfoLevelOnlyTheAccessLineIsWritten() {
        #expect(log(at: .info).map(\.level) == [.info])
    }
}
