import Foundation
import RestgateTestSupport
import Testing

@testable import RestgateGateway

/// Conditional GET through the gateway and the sandbox: a strong `ETag` on every 200 to a GET,
/// 304 for a matching `If-None-Match` (lists, `W/`, `*`), a new tag when the resource changes,
/// HEAD agreeing with GET, and a weak tag on a gzipped answer that still matches.
@Suite struct ConditionalGetTests {
    @Test func aMatchingTagIsA304WithNoBody() throws {
        let harness = try GatewayHarness()
        let token = try harness.token()
        let first = try harness.call("GET", "/risk-groups?limit=2", token: token)
        #expect(first.status == 200)
        let tag = try #require(first.response.header("etag"))
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 34)
        #expect(first.response.header("cache-control") == "private, no-cache")
        #expect(tag == EntityTag.strong(for: first.response.body))

        for condition in [tag, "\"other\", \(tag)", "W/\(tag)", "*"] {
            let again = try harness.call("GET", "/risk-groups?limit=2", token: token, headers: ["If-None-Match: \(condition)"])
            #expect(again.status == 304, "\(condition)")
            #expect(again.response.body.isEmpty)
            #expect(again.response.header("etag") == tag)
            #expect(again.response.header("content-length") == nil)
        }
        for condition in ["\"other\"", "W/\"other\"", "not-a-tag", String(tag.dropLast())] {
            let again = try harness.call("GET", "/risk-groups?limit=2", token: token, headers: ["If-None-Match: \(condition)"])
            #expect(again.status == 200, "\(condition)")
        }
        let head = try harness.call("HEAD", "/risk-groups?limit=2", token: token)
        #expect(head.status == 200)
        #expect(head.response.header("etag") == tag)
        // Another page is another representation.
        #expect(try harness.call("GET", "/risk-groups?limit=1", token: token).response.header("etag") != tag)
    }

    @Test func aGzippedAnswerHasAWeakTagThatStillMatches() throws {
        let harness = try GatewayHarness()
        let token = try harness.token()
        let identity = try harness.call("GET", "/risk-groups?limit=5", token: token)
        let tag = try #require(identity.response.header("etag"))
        let gzipped = try harness.call("GET", "/risk-groups?limit=5", token: token, headers: ["Accept-Encoding: gzip"])
        #expect(gzipped.response.header("content-encoding") == "gzip")
        #expect(gzipped.response.header("etag") == "W/" + tag)
        let revalidated = try harness.call(
            "GET", "/risk-groups?limit=5", token: token, headers: ["Accept-Encoding: gzip", "If-None-Match: W/\(tag)"])
        #expect(revalidated.status == 304)
        #expect(revalidated.response.header("etag") == "W/" + tag)
        #expect(revalidated.response.header("vary") == "Accept-Encoding")
    }

    @Test func aChangedResourceGetsANewTag() throws {
        let harness = try GatewayHarness()
        let token = try harness.token()
        let created = try harness.call(
            "POST", "/invitations",
            json: #"{"organizationName":"Acme ApS","riskGroupId":"\#(OnboardingFlowTests.lowRisk)","vatNumber":"DK12345678"}"#,
            token: token)
        let id = try #require(created.object["id"] as? String)
        #expect(created.response.header("etag") == nil)  // not a GET
        let before = try #require(try harness.call("GET", "/invitations/\(id)", token: token).response.header("etag"))
        let patched = try harness.call(
            "PATCH", "/invitations/\(id)",
            json: #"{"contactPerson":{"firstName":"Ada","lastName":"Lovelace","email":"ada@acme.example","callingCode":"DK"}}"#,
            token: token)
        #expect(patched.status == 200)
        let after = try harness.call("GET", "/invitations/\(id)", token: token, headers: ["If-None-Match: \(before)"])
        #expect(after.status == 200)
        #expect(after.response.header("etag") != before)
    }
}
