import Logging
import Testing

@testable import RestgateGateway
@testable import RestgateHTTP

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
}
