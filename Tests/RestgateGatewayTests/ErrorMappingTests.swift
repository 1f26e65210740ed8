import Foundation
import RestgateConfiguration
import RestgateGateway
import RestgateHTTP
import RestgateTestSupport
import RestgateUpstream
import Synchronization
import Testing

@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateSandbox
@testable import RestgateServer

/// Every row of the error table, from a scripted upstream that answers with exactly the
/// shape real GraphQL servers use for it.
@Suite struct ErrorMappingTests {
    static let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"

    /// Sends `target` through a gateway whose unioo upstream answers every call with `reply`.
    private func call(
        _ method: String, _ target: String, json: String? = nil, reply: ScriptedUpstream.Action,
        routeFile: String = BuiltInConfiguration.routesYAML,
        faults: Faults? = nil
    ) throws -> (RawResponse, [String: Any]) {
        let upstream = try ScriptedUpstream { _, _ in reply }
        defer { upstream.stop() }
        var configuration = UpstreamConfiguration()
        configuration.requestTimeout = .milliseconds(400)
        let client = GraphQLClient(
            upstream: try UpstreamClient(
                name: "unioo", url: UpstreamURL("http://127.0.0.1:\(upstream.port)/graphql")!, configuration: configuration))
        let routes = try RouteValidator().compile(yaml: routeFile)
        let lifecycle = ServerLifecycle()
        let gateway = try TestServer(
            responder: GatewayResponder(
                lifecycle: lifecycle, routes: routes, clients: ["unioo": client],
                onUpstreamFault: { route, problem in faults?.record(route, problem.code.name) }),
            lifecycle: lifecycle)
        defer { gateway.stop() }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer \(Self.token)\r\n"
        let body = Array((json ?? "").utf8)
        if json != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let connection = try gateway.connect()
        try connection.send(Array(head.utf8) + body)
        let response = try connection.readResponse()
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response, object)
    }

    private func json(_ status: Int, _ body: String) -> ScriptedUpstream.Action {
        .reply(
            ScriptedUpstream.reply(
                status: status, headers: ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"], body: body), close: false
        )
    }

    private static let send = "/invitations/6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01/send"

    @Test(arguments: [
        (401, #"{"errors":[{"message":"Unauthorized"}]}"#, 401, "UNAUTHENTICATED"),
        (
            200,
            #"{"data":null,"errors":[{"message":"The current user is not authorized to access this resource.","extensions":{"code":"AUTH_NOT_AUTHENTICATED"}}]}"#,
            401, "UNAUTHENTICATED"
        ),
        (200, #"{"data":null,"errors":[{"message":"Token expired","extensions":{"code":"UNAUTHENTICATED"}}]}"#, 401, "UNAUTHENTICATED"),
        (403, #"{"errors":[{"message":"Forbidden"}]}"#, 403, "FORBIDDEN"),
        (200, #"{"data":null,"errors":[{"message":"Not for you","extensions":{"code":"AUTH_NOT_AUTHORIZED"}}]}"#, 403, "FORBIDDEN"),
        (
            200, #"{"data":{"startInvitationFlow":null},"errors":[{"message":"Organization invitation with id (x) not found"}]}"#, 404,
            "NOT_FOUND"
        ),
        (
            200, #"{"data":{"startInvitationFlow":null},"errors":[{"message":"No more invitations left this month"}]}"#, 429,
            "INVITATION_QUOTA_EXCEEDED"
        ),
        (
            200,
            #"{"data":{"startInvitationFlow":null},"errors":[{"message":"Missing required information: vatNumber","path":["startInvitationFlow"]}]}"#,
            422, "INVITATION_INCOMPLETE"
        ),
        (
            200,
            #"{"data":{"startInvitationFlow":{"organizationInvitation":null,"invitationsLeft":null}},"errors":[{"message":"Invitation flow already started"}]}"#,
            422, "UPSTREAM_REJECTED"
        ),
        (
            400, #"{"errors":[{"message":"The field `colour` does not exist.","extensions":{"code":"HC0020"}}]}"#, 502,
            "UPSTREAM_CONTRACT_MISMATCH"
        ),
        (
            200, #"{"errors":[{"message":"Cannot query field","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#, 502,
            "UPSTREAM_CONTRACT_MISMATCH"
        ),
        (500, #"{"errors":[{"message":"boom"}]}"#, 502, "UPSTREAM_UNAVAILABLE"),
        (503, "Service Unavailable", 502, "UPSTREAM_UNAVAILABLE"),
        (200, "<html>oops</html>", 502, "BAD_UPSTREAM_RESPONSE"),
        (200, "", 502, "BAD_UPSTREAM_RESPONSE"),
    ])
    func upstreamShapesMapToTheTable(upstreamStatus: Int, body: String, status: Int, code: String) throws {
        let (response, problem) = try call("POST", Self.send, reply: json(upstreamStatus, body))
        #expect(response.status == status)
        #expect(response.header("content-type") == "application/problem+json")
        #expect(problem["code"] as? String == code)
        #expect(problem["requestId"] as? String == response.header("x-request-id"))
        if status == 401 { #expect(response.header("www-authenticate")?.hasPrefix("Bearer") == true) }
    }

    @Test func quotaCarriesItsPeriodAndBusinessErrorsTheirMessages() throws {
        let (_, week) = try call(
            "POST", Self.send, reply: json(200, #"{"data":null,"errors":[{"message":"No more invitations left this week"}]}"#))
        #expect(week["quotaPeriod"] as? String == "week")
        let (_, rejected) = try call(
            "POST", Self.send,
            reply: json(200, #"{"data":null,"errors":[{"message":"Rule A","path":["startInvitationFlow"]},{"message":"Rule B"}]}"#))
        #expect((rejected["errors"] as? [[String: Any]])?.compactMap { $0["message"] as? String } == ["Rule A", "Rule B"])
        #expect((rejected["errors"] as? [[String: Any]])?.first?["path"] as? String == "startInvitationFlow")
    }

    @Test func errorsBesideNonNullDataAreNeverAnsweredWith2xx() throws {
        let body =
            #"{"data":{"riskGroups":{"totalCount":1,"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}},"errors":[{"message":"Partial failure"}]}"#
        let (response, problem) = try call("GET", "/risk-groups", reply: json(200, body))
        #expect(response.status == 422)
        #expect(problem["code"] as? String == "UPSTREAM_REJECTED")
    }

    @Test func unreachableAndSlowUpstreams() throws {
        let (closed, closedProblem) = try call("GET", "/risk-groups", reply: .closeWithoutAnswer)
        #expect(closed.status == 502)
        #expect(closedProblem["code"] as? String == "UPSTREAM_UNAVAILABLE")
        let (slow, slowProblem) = try call("GET", "/risk-groups", reply: .hang)
        #expect(slow.status == 504)
        #expect(slowProblem["code"] as? String == "UPSTREAM_TIMEOUT")
    }

    @Test func anOperatorAddedRuleMapsANewUpstreamMessage() throws {
        let reply = json(200, #"{"data":null,"errors":[{"message":"Customer 42 is blocked by compliance"}]}"#)
        let (before, _) = try call("POST", Self.send, reply: reply)
        #expect(before.status == 422)
        let rule =
            "errors:\n  - match: { message: \"Customer (\\\\d+) is blocked.*\" }\n    problem: FORBIDDEN\n    members: { customer: \"$1\" }\n"
        // The operator's rule goes first, ahead of the built-in ones.
        let withRule = BuiltInConfiguration.routesYAML.replacingOccurrences(of: "errors:\n", with: rule)
        let (after, problem) = try call("POST", Self.send, reply: reply, routeFile: withRule)
        #expect(after.status == 403)
        #expect(problem["code"] as? String == "FORBIDDEN")
        #expect(problem["customer"] as? String == "42")
    }

    @Test func aLocationTemplateIsFilledWhereverItsPlaceholdersStand() throws {
        // Not only whole path segments: the route's `{id}` members are located with the
        // resource in one pass, by the same scan that fills the template.
        let routeFile = BuiltInConfiguration.routesYAML.replacingOccurrences(
            of: "location: /invitations/{id}\n", with: "location: /invitations/{id}.json?name={organizationName}\n")
        let id = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01"
        let answer = #"{"data":{"createOrganizationInvitation":{"organizationInvitation":{"id":"\#(id)","organizationName":"Acme ApS"}}}}"#
        let body = #"{"organizationName":"Acme ApS","vatNumber":"DK12345678","riskGroupId":"\#(id)"}"#
        let (response, _) = try call("POST", "/invitations", json: body, reply: json(200, answer), routeFile: routeFile)
        #expect(response.status == 201)
        #expect(response.header("location") == "http://g/invitations/\(id).json?name=Acme%20ApS")
    }

    @Test func aContractMismatchIsReportedForTheLogButAClientErrorIsNot() throws {
        let faults = Faults()
        _ = try call(
            "GET", "/risk-groups", reply: json(400, #"{"errors":[{"message":"bad","extensions":{"code":"HC0020"}}]}"#), faults: faults)
        _ = try call("GET", "/invitations/not-a-uuid", reply: json(200, "{}"), faults: faults)
        #expect(faults.recorded == ["listRiskGroups UPSTREAM_CONTRACT_MISMATCH"])
    }

    /// Issue 11: an upstream that frames its answer two ways is a 502, not a guess.
    @Test func aMisframedUpstreamAnswerIs502BadUpstreamResponse() throws {
        let (response, problem) = try call(
            "GET", "/risk-groups",
            reply: .reply(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\n{}".utf8), close: false))
        #expect(response.status == 502)
        #expect(problem["code"] as? String == "BAD_UPSTREAM_RESPONSE")
        #expect((problem["detail"] as? String)?.contains("more than one Content-Length") == true)
    }

    /// The upstream's header fields are its own: none reaches the client.
    @Test func theUpstreamsHeaderFieldsNeverReachTheClient() throws {
        let body = #"{"data":{"riskGroups":{"totalCount":0,"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}"#
        let (response, _) = try call(
            "GET", "/risk-groups",
            reply: .reply(
                ScriptedUpstream.reply(
                    headers: [
                        "Content-Type: application/json", "Content-Length: \(body.utf8.count)", "Set-Cookie: upstream-session=1",
                        "X-Upstream-Node: db-7.internal", "Cache-Control: private",
                    ], body: body), close: false))
        #expect(response.status == 200)
        #expect(response.header("set-cookie") == nil)
        #expect(response.header("x-upstream-node") == nil)
        // The gateway's own policy, not the upstream's `private`.
        #expect(response.headers("cache-control") == ["private, no-cache"])
    }

    @Test func emptyByIDResultIs404() throws {
        let (response, problem) = try call(
            "GET", "/invitations/6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01",
            reply: json(200, #"{"data":{"organizationInvitations":{"nodes":[]}}}"#))
        #expect(response.status == 404)
        #expect(problem["code"] as? String == "NOT_FOUND")
    }
}

/// Collects what the gateway reports as upstream faults.
final class Faults: Sendable {
    private let entries = Mutex<[String]>([])
    func record(_ route: String, _ code: String) { entries.withLock { $0.append("\(route) \(code)") } }
    var recorded: [String] { entries.withLock { $0 } }
}
