import Testing

@testable import RestgateHTTP

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
