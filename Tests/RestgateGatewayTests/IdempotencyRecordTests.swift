import RestgateHTTP
import RestgateJSON
import Testing

@testable import RestgateGateway

@Suite struct IdempotencyRecordTests {
    @Test(arguments: [
        ("abc", "abc"), ("\"abc\"", "abc"), ("\"a\\\"b\\\\c\"", "a\"b\\c"),
        ("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324"),
        ("with space", "with space"),
    ])
    func readsStringsAndBareTokens(field: String, key: String) {
        #expect(IdempotencyKey.parse(field) == key)
    }

    @Test(arguments: ["", "\"\"", "\"open", "\"a\"b\"", "\"bad\\escape\"", String(repeating: "k", count: 256), "tab\tkey", "caf\u{e9}"])
    func refusesAnythingElse(field: String) {
        #expect(IdempotencyKey.parse(field) == nil)
    }

    private func fingerprint(_ path: String, _ body: String) -> [UInt8] {
        let bytes = Array(body.utf8)
        return IdempotencyRecord.fingerprint(method: "POST", path: path, body: bytes, parsed: try? JSONParser.parse(bytes))
    }

    @Test func theFingerprintIgnoresLayoutAndMemberOrder() {
        let one = fingerprint("/invitations", #"{"a":1,"b":[true,{"y":2,"x":"s"}]}"#)
        #expect(one == fingerprint("/invitations", "{ \"b\" : [ true , {\"x\":\"s\",\"y\":2} ],\n \"a\" : 1 }"))
        #expect(one != fingerprint("/invitations", #"{"a":2,"b":[true,{"y":2,"x":"s"}]}"#))
        #expect(one != fingerprint("/other", #"{"a":1,"b":[true,{"y":2,"x":"s"}]}"#))
        #expect(fingerprint("/x", "not json").count == 32)
        #expect(fingerprint("/x", "not json") != fingerprint("/x", "not  json"))
    }

    /// Pinned: records on Redis outlive a release, so a retry that reaches a replica of the next
    /// version must meet the same fingerprint. SHA-256 of the method, the path and the body
    /// with members sorted and no whitespace (Python: `json.dumps(body, sort_keys=True,
    /// separators=(",", ":"))`), in order and sorted, nested.
    @Test func theFingerprintStaysTheSameAcrossReleases() {
        let expected = "582478e1972814a7a3143de774dcef7174f28e9806f79f81de6d913103c2b18a"
        let unsorted =
            #"{"organizationName": "Fjord Freight AS", "riskGroupId": "6a1f0c2e", "vatNumber": "NO1", "#
            + #""contact": {"name": "Kari", "email": "k@f.example"}, "tags": ["b", "a"]}"#
        let sorted =
            #"{"contact":{"email":"k@f.example","name":"Kari"},"organizationName":"Fjord Freight AS","#
            + #""riskGroupId":"6a1f0c2e","tags":["b","a"],"vatNumber":"NO1"}"#
        for body in [unsorted, sorted] {
            let hex = fingerprint("/invitations", body).map {
                String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
            }
            #expect(hex.joined() == expected)
        }
    }

    @Test func recordsSurviveTheirBytes() {
        let fingerprint = [UInt8](repeating: 7, count: 32)
        let response = HTTPResponse(
            status: 201, headers: [("Content-Type", "application/json"), ("Location", "/invitations/1"), ("Vary", "Accept-Encoding")],
            body: Array(#"{"id":"1"}"#.utf8))
        let answered = IdempotencyRecord.answered(response, fingerprint: fingerprint)
        #expect(IdempotencyRecord(decoding: answered.encoded) == answered)
        #expect(IdempotencyRecord.encodedAnswer(response, fingerprint: fingerprint) == answered.encoded)
        let replay = answered.replay()
        #expect(replay?.status == 201 && replay?.body == response.body)
        #expect(replay?.header("Vary") == nil && replay?.header("Location") == "/invitations/1")
        #expect(replay?.header("Idempotent-Replayed") == "true")
        for state: IdempotencyRecord.State in [.unknown, .running(leaseUntilMilliseconds: 1_700_000_000_000, owner: 42)] {
            let record = IdempotencyRecord(fingerprint: fingerprint, state: state)
            #expect(IdempotencyRecord(decoding: record.encoded) == record)
        }
        #expect(IdempotencyRecord(decoding: [1, 2, 3]) == nil)
        #expect(IdempotencyRecord(decoding: [2] + fingerprint + [UInt8(ascii: "U")]) == nil)
    }
}
