import Foundation
import RestgateConfiguration
import RestgateGateway
import RestgateHTTP
import RestgateSandbox
import RestgateTestSupport
import RestgateUpstream
import Testing

@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateServer

/// The REST contract end to end: a client → the gateway (built-in routes) → the sandbox
/// upstreams, every hop over real sockets.
final class GatewayHarness {
    let sandbox: TestServer
    let gateway: TestServer

    init(quotaPerWeek: Int = 5, trustedProxies: [String] = []) throws {
        var configuration = SandboxConfiguration()
        configuration.invitationsPerWeek = quotaPerWeek
        sandbox = try TestServer(responder: try Sandbox(configuration: configuration))
        let routes = try RouteValidator().compile(yaml: BuiltInConfiguration.routesYAML)
        var clients: [String: GraphQLClient] = [:]
        for (name, path) in [("unioo", Sandbox.uniooPath), ("elements", Sandbox.elementsPath)] {
            clients[name] = GraphQLClient(
                upstream: try UpstreamClient(name: name, url: UpstreamURL("http://127.0.0.1:\(sandbox.port)\(path)")!))
        }
        let lifecycle = ServerLifecycle()
        gateway = try TestServer(responder: GatewayResponder(lifecycle: lifecycle, routes: routes, clients: clients), lifecycle: lifecycle)
        {
            $0.trustedProxies = trustedProxies.compactMap(AddressRange.init)
        }
    }

    deinit {
        gateway.stop()
        sandbox.stop()
    }

    struct Reply {
        var response: RawResponse
        var status: Int { response.status }
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(response.body)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var code: String? { object["code"] as? String }
        var fields: [String] { (object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
    }

    func call(_ method: String, _ target: String, json: String? = nil, token: String? = nil, headers: [String] = []) throws -> Reply {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: gateway.test\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for header in headers { head += header + "\r\n" }
        let body = Array((json ?? "").utf8)
        if json != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let connection = try gateway.connect()
        try connection.send(Array(head.utf8) + body)
        return Reply(response: try connection.readResponse(bodyExpected: method != "HEAD"))
    }

    func token() throws -> String {
        let reply = try call("POST", "/auth/token", json: #"{"clientId":"sandbox-bank","secret":"sandbox-secret"}"#)
        guard let jwt = reply.object["jwt"] as? String else { throw TestFailure("no token: \(reply.response.text)") }
        return jwt
    }
}

@Suite struct OnboardingFlowTests {
    static let lowRisk = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01"
    static let copenhagen = "0b5e7d10-2c3a-4b8e-9f61-7a2d4c6e8b01"

    @Test func theWholeOnboardingFlowWorksOverREST() throws {
        let harness = try GatewayHarness()
        let token = try harness.token()

        let firstPage = try harness.call("GET", "/risk-groups?limit=2", token: token)
        #expect(firstPage.status == 200)
        #expect((firstPage.object["items"] as? [Any])?.count == 2)
        #expect(firstPage.object["totalCount"] as? Int == 3)
        let next = try #require(firstPage.object["nextCursor"] as? String)
        let link = try #require(firstPage.response.header("link"))
        #expect(link == "<http://gateway.test/risk-groups?limit=2&cursor=\(QueryStringEncoding.encode(next))>; rel=\"next\"")
        let target = String(link.dropFirst().prefix { $0 != ">" })
        let secondPage = try harness.call("GET", target, token: token)
        #expect((secondPage.object["items"] as? [[String: Any]])?.first?["name"] as? String == "High risk")
        #expect(secondPage.object["nextCursor"] is NSNull)
        #expect(secondPage.response.header("link") == nil)

        let created = try harness.call(
            "POST", "/invitations", json: #"{"organizationName":"Acme ApS","riskGroupId":"\#(Self.lowRisk)","vatNumber":"DK12345678"}"#,
            token: token)
        #expect(created.status == 201)
        let id = try #require(created.object["id"] as? String)
        #expect(created.response.header("location") == "http://gateway.test/invitations/\(id)")
        #expect((created.object["riskGroup"] as? [String: Any])?["name"] as? String == "Low risk")
        #expect(created.object.keys.contains("surrenderedReason"))

        let incomplete = try harness.call("POST", "/invitations/\(id)/send", token: token)
        #expect(incomplete.status == 422)
        #expect(incomplete.code == "INVITATION_INCOMPLETE")
        #expect(incomplete.fields == ["/contactPerson/firstName", "/contactPerson/lastName", "/contactPerson/email"])

        let patched = try harness.call(
            "PATCH", "/invitations/\(id)",
            json: #"{"contactPerson":{"firstName":"Mette","lastName":"Hansen","email":"mette@acme.example","callingCode":"DK"}}"#,
            token: token)
        #expect(patched.status == 200)
        #expect(patched.object["chairmanCallingCode"] as? String == "0045")
        #expect(patched.object["organizationName"] as? String == "Acme ApS")

        let office = try harness.call(
            "PUT", "/invitations/\(id)/branch-office", json: #"{"branchOfficeId":"\#(Self.copenhagen)"}"#, token: token)
        #expect((office.object["branchOffice"] as? [String: Any])?["name"] as? String == "Copenhagen City")

        let fetched = try harness.call("GET", "/invitations/\(id)", token: token)
        #expect(fetched.status == 200)
        #expect(fetched.object["isInvitationValid"] as? Bool == true)

        let sent = try harness.call("POST", "/invitations/\(id)/send", token: token)
        #expect(sent.status == 200)
        #expect(((sent.object["organizationInvitation"] as? [String: Any])?["isInvitationFlowStarted"]) as? Bool == true)
        #expect((sent.object["invitationsLeft"] as? [String: Any])?["invitationsLeftThisWeek"] as? Int == 4)

        let again = try harness.call("POST", "/invitations/\(id)/send", token: token)
        #expect(again.status == 422)
        #expect(again.code == "UPSTREAM_REJECTED")
        #expect(again.object["detail"] as? String == "Invitation flow already started")

        let listed = try harness.call("GET", "/invitations?vatNumber=DK12345678", token: token)
        #expect(listed.object["totalCount"] as? Int == 1)
        #expect(try harness.call("GET", "/invitations?vatNumber=nope", token: token).object["totalCount"] as? Int == 0)
    }

    @Test func locationFollowsForwardingHeadersOnlyFromTrustedProxies() throws {
        let body = #"{"organizationName":"Proxied","riskGroupId":"\#(Self.lowRisk)"}"#
        let forwarded = ["X-Forwarded-Proto: https", "X-Forwarded-Host: api.bank.example", "X-Forwarded-For: 203.0.113.9"]
        let trusting = try GatewayHarness(trustedProxies: ["127.0.0.1"])
        let behindProxy = try trusting.call("POST", "/invitations", json: body, token: try trusting.token(), headers: forwarded)
        #expect(behindProxy.response.header("location")?.hasPrefix("https://api.bank.example/invitations/") == true)
        let direct = try GatewayHarness()
        let spoofed = try direct.call("POST", "/invitations", json: body, token: try direct.token(), headers: forwarded)
        #expect(spoofed.response.header("location")?.hasPrefix("http://gateway.test/invitations/") == true)
    }

    @Test func spendingTheWeeklyQuotaIs429WithItsPeriod() throws {
        let harness = try GatewayHarness(quotaPerWeek: 1)
        let token = try harness.token()
        var ids: [String] = []
        for name in ["One", "Two"] {
            let body =
                #"{"organizationName":"\#(name)","riskGroupId":"\#(Self.lowRisk)","vatNumber":"DK1","contactPerson":{"firstName":"A","lastName":"B","email":"a@b.example"}}"#
            ids.append(try #require(try harness.call("POST", "/invitations", json: body, token: token).object["id"] as? String))
        }
        #expect(try harness.call("POST", "/invitations/\(ids[0])/send", token: token).status == 200)
        let spent = try harness.call("POST", "/invitations/\(ids[1])/send", token: token)
        #expect(spent.status == 429)
        #expect(spent.code == "INVITATION_QUOTA_EXCEEDED")
        #expect(spent.object["quotaPeriod"] as? String == "week")
        #expect(spent.response.header("retry-after") != nil)
    }

    @Test func badInputIsA400ListingEachProblemBeforeAnyUpstreamCall() throws {
        let harness = try GatewayHarness()
        let token = try harness.token()
        let body = #"{"organizationName":7,"riskGroupId":"not-a-uuid","colour":"red","bankAccounts":[{"registrationNumber":"1234"}]}"#
        let reply = try harness.call("POST", "/invitations", json: body, token: token)
        #expect(reply.status == 400)
        #expect(reply.code == "INVALID_REQUEST")
        #expect(Set(reply.fields) == ["/colour", "/organizationName", "/riskGroupId", "/bankAccounts/0/accountNumber"])
        #expect(try harness.call("POST", "/invitations", json: "{not json", token: token).fields == [""])
        #expect(try harness.call("GET", "/invitations/12345", token: token).fields == ["id"])
        for limit in ["0", "101", "-1", "1.5", "abc", ""] {
            let page = try harness.call("GET", "/risk-groups?limit=\(limit)", token: token)
            #expect(page.status == 400)
            #expect(page.fields == ["limit"])
        }
        #expect(try harness.call("GET", "/risk-groups?colour=red", token: token).fields == ["colour"])
        let patchID = try harness.call("PATCH", "/invitations/\(Self.lowRisk)", json: #"{"invitationId":"\#(Self.lowRisk)"}"#, token: token)
        #expect(patchID.fields == ["/invitationId"])
        let wrongType = try harness.call("POST", "/invitations", token: token, headers: ["Content-Type: text/plain"])
        #expect(wrongType.status == 415)
        #expect(wrongType.code == "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test func missingTokensAndUnknownResourcesAreMapped() throws {
        let harness = try GatewayHarness()
        let anonymous = try harness.call("GET", "/risk-groups")
        #expect(anonymous.status == 401)
        #expect(anonymous.response.header("www-authenticate")?.hasPrefix("Bearer") == true)
        let forged = try harness.call("GET", "/risk-groups", token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")
        #expect(forged.status == 401)
        #expect(forged.code == "UNAUTHENTICATED")
        let token = try harness.token()
        let missing = try harness.call("GET", "/invitations/00000000-0000-0000-0000-000000000000", token: token)
        #expect(missing.status == 404)
        #expect(missing.code == "NOT_FOUND")
        let unknownGroup = try harness.call(
            "POST", "/invitations", json: #"{"organizationName":"X","riskGroupId":"00000000-0000-0000-0000-000000000000"}"#, token: token)
        #expect(unknownGroup.status == 404)
        #expect(unknownGroup.object["detail"] as? String == "Risk group with id (00000000-0000-0000-0000-000000000000) not found")
    }

    @Test func elementsClientInvitationsArePagedByCursor() throws {
        let harness = try GatewayHarness()
        let signIn = try harness.call(
            "POST", "/elements/auth/token", json: #"{"usernameOrEmail":"advisor@sandbox.example","password":"sandbox-password"}"#)
        let token = try #require((signIn.object["tokenSet"] as? [String: Any])?["accessToken"] as? String)
        var target: String? = "/elements/firms/\(Sandbox.demoFirmID)/client-invitations"
        var count = 0
        var pages = 0
        while let current = target, pages < 10 {
            let page = try harness.call("GET", current, token: token)
            #expect(page.status == 200)
            count += (page.object["items"] as? [Any])?.count ?? 0
            #expect(page.object["totalCount"] == nil)
            pages += 1
            target = page.response.header("link").map { String($0.dropFirst().prefix { $0 != ">" }) }
            if target == nil { #expect(page.object["nextCursor"] is NSNull) }
        }
        #expect(pages == 3)
        #expect(count == 25)
    }
}

/// The cursor encoding the contract asks for, written independently of the gateway's.
enum QueryStringEncoding {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
