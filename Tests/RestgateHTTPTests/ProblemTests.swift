import Foundation
import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

@Suite struct ProblemTests {
    @Test func problemSerialisesEveryMemberInOrder() {
        let problem = Problem(
            ProblemCode("INVALID_REQUEST", status: 400, title: "Invalid request", explanation: ""),
            detail: "Two fields are wrong \"here\".",
            errors: [
                ProblemError(message: "must be a string", field: "/name", code: "TYPE"),
                ProblemError(message: "upstream said no", path: "data.x", code: "UPSTREAM"),
            ],
            members: [("quotaPeriod", "month")],
            headers: [("Retry-After", "5")])
        let response = problem.response(requestID: "req-1", instance: "/invitations")
        #expect(response.status == 400)
        #expect(response.header("content-type") == "application/problem+json")
        #expect(response.header("retry-after") == "5")
        let expected =
            #"{"type":"/problems/invalid-request","title":"Invalid request","status":400,"detail":"Two fields are wrong \"here\".","#
            + #""instance":"/invitations","code":"INVALID_REQUEST","requestId":"req-1","quotaPeriod":"month","#
            + #""errors":[{"message":"must be a string","field":"/name","code":"TYPE"},{"message":"upstream said no","path":"data.x","code":"UPSTREAM"}]}"#
        #expect(String(decoding: response.body, as: UTF8.self) == expected)
    }

    @Test func instanceFallsBackToARequestURN() {
        let response = Problem(.malformedRequest, detail: "x").response(requestID: "abc", instance: nil)
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""instance":"urn:restgate:request:abc""#))
    }

    @Test func controlCharactersAreEscaped() {
        var writer = JSONWriter()
        writer.string("a\u{1}\n\t\\")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""a\u0001\n\t\\""#)
    }

    @Test func requestIDsAreCheckedAndGenerated() {
        #expect(RequestID.isAcceptable("abc-123_X.y:z"))
        #expect(!RequestID.isAcceptable(""))
        #expect(!RequestID.isAcceptable("has space"))
        #expect(!RequestID.isAcceptable(String(repeating: "a", count: 129)))
        var generator = RequestIDGenerator()
        let first = generator.make()
        #expect(first.count == 36)
        #expect(first != generator.make())
        #expect(Array(first)[14] == "4")
    }
}

@Suite struct ProblemBoundsTests {
    private func decoded(_ problem: Problem) throws -> [String: Any] {
        let response = problem.response(requestID: "r", instance: "/x")
        #expect(response.body.count <= Problem.maxBodyBytes)
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func atMostAHundredEntriesAndTheRestCounted() throws {
        let errors = (0..<250).map { ProblemError(message: "m\($0)", field: "/f\($0)", code: "WRONG_TYPE") }
        let object = try decoded(Problem(.internalError, detail: "d", errors: errors))
        #expect((object["errors"] as? [Any])?.count == 100)
        #expect(object["errorsOmitted"] as? Int == 150)
    }

    @Test func echoedTextsCannotPushABodyPast64KiB() throws {
        // Control characters are escaped to six bytes each: the worst case for every text.
        let hostile = String(repeating: "\u{1}", count: 100_000)
        let errors = (0..<100).map { _ in ProblemError(message: hostile, field: hostile, path: hostile, code: "X") }
        let object = try decoded(
            Problem(.internalError, detail: hostile, errors: errors, members: (0..<40).map { ("m\($0)", hostile) }))
        let kept = try #require(object["errors"] as? [Any]).count
        #expect(kept > 0 && kept < 100)
        #expect(object["errorsOmitted"] as? Int == 100 - kept)
        #expect((object["detail"] as? String)?.hasSuffix("\u{2026}") == true)
    }

    @Test func cutsFallOnCharacterBoundaries() {
        let text = String(repeating: "ø", count: 600)
        let cut = Problem.bounded(text, 101)
        #expect(cut.utf8.count <= 101)
        #expect(cut == String(repeating: "ø", count: 48) + "\u{2026}" || cut == String(repeating: "ø", count: 49) + "\u{2026}")
        #expect(Problem.bounded("short", 10) == "short")
    }
}
