import Foundation
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

/// Issue 11's amplification findings: an answer is bounded by its cause, whatever the input
/// holds. Over real sockets, against the built-in routes and the sandbox.
@Suite struct BoundedAnswerTests {
    private static let validInvitation = #""organizationName":"Acme ApS","riskGroupId":"6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01""#

    private func expectBounded(_ reply: GatewayHarness.Reply, entries: Int = 100) {
        #expect(reply.status == 400)
        #expect(reply.code == "INVALID_REQUEST")
        #expect(reply.response.body.count <= Problem.maxBodyBytes)
        #expect((reply.object["errors"] as? [Any])?.count == entries)
    }

    /// Was 55,418,024 bytes after 1.3 s on the loop.
    @Test func aBodyOfHalfAMillionWrongItemsGetsAHundredErrors() throws {
        let harness = try GatewayHarness()
        let items = [String](repeating: "1", count: 520_000).joined(separator: ",")
        let body = "{\(Self.validInvitation),\"bankAccounts\":[\(items)]}"
        #expect(body.utf8.count <= 1 << 20)
        let started = ContinuousClock.now
        let reply = try harness.call("POST", "/invitations", json: body, token: "aa.bb.cc")
        expectBounded(reply)
        #expect((reply.object["detail"] as? String)?.contains("more than 100 problems") == true)
        #expect(reply.fields.first == "/bankAccounts/0")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    /// Was 6.5 MB.
    @Test func fiftyThousandUnknownMembersGetAHundredErrors() throws {
        let harness = try GatewayHarness()
        let members = (0..<50_000).map { "\"x\($0)\":1" }.joined(separator: ",")
        let reply = try harness.call(
            "POST", "/invitations", json: "{\(Self.validInvitation),\"contactPerson\":{\(members)}}", token: "aa.bb.cc")
        expectBounded(reply)
        #expect(reply.fields.prefix(2) == ["/contactPerson/x0", "/contactPerson/x1"])
    }

    @Test func moreThanAHundredQueryParametersIsA400() throws {
        let harness = try GatewayHarness()
        let hundred = (0..<100).map { "p\($0)=1" }.joined(separator: "&")
        let unknown = try harness.call("GET", "/risk-groups?" + hundred, token: "aa.bb.cc")
        expectBounded(unknown)
        #expect(unknown.object["errorsOmitted"] == nil)
        let tooMany = try harness.call("GET", "/risk-groups?" + hundred + "&p100=1", token: "aa.bb.cc")
        #expect(tooMany.status == 400)
        #expect(tooMany.code == "INVALID_REQUEST")
        #expect(tooMany.object["detail"] as? String == "The query string has 101 parameters; at most 100 are accepted.")
    }

    /// `%zz` used to drop bytes silently.
    @Test(arguments: ["vatNumber=%zz", "vatNumber=DK%2", "vatNumber=%", "vatNumber=%FF", "vat%ZZ=1"])
    func aBadPercentEscapeIsA400NamingTheParameter(_ query: String) throws {
        let harness = try GatewayHarness()
        let reply = try harness.call("GET", "/invitations?" + query, token: "aa.bb.cc")
        #expect(reply.status == 400)
        #expect(reply.code == "INVALID_REQUEST")
        let entry = (reply.object["errors"] as? [[String: Any]])?.first
        #expect(entry?["code"] as? String == "INVALID_ENCODING")
        #expect(entry?["field"] as? String == (query.hasPrefix("vat%") ? "vat%ZZ" : "vatNumber"))
    }

    @Test func aBadPercentEscapeInAPathParameterIsA400() throws {
        let harness = try GatewayHarness()
        let reply = try harness.call("GET", "/invitations/%G1", token: "aa.bb.cc")
        #expect(reply.status == 400)
        #expect(reply.fields == ["id"])
    }

    /// Found by the input-check fuzzer: a `/` or `~` followed by a combining mark is one
    /// Character, and a Character-wise replacement left it unescaped in the pointer.
    @Test func aMemberNameWithACombiningMarkAfterASlashIsEscapedInItsPointer() throws {
        let harness = try GatewayHarness()
        let reply = try harness.call(
            "POST", "/invitations", json: "{\(Self.validInvitation),\"a/\u{0301}b~\u{0301}\":1}", token: "aa.bb.cc")
        #expect(reply.status == 400)
        #expect(reply.fields == ["/a~1\u{0301}b~0\u{0301}"])
    }
}
