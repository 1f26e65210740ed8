import Foundation
import RestgateConfiguration
import RestgateGateway
import RestgateHTTP
import RestgateTestSupport
import RestgateUpstream
import Testing

@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateServer

/// A list's page is made from the upstream's bytes (`RouteExecutor+Page`): the same members
/// as the parsed path, the items as the upstream wrote them, the cursor parsed for `Link`, and
/// every answer the fast path cannot take (errors, a null result) still shaped by the parse.
@Suite struct ListPageTests {
    private func get(_ target: String, answer: String) throws -> RawResponse {
        let upstream = try ScriptedUpstream { _, _ in
            .reply(
                ScriptedUpstream.reply(
                    status: 200, headers: ["Content-Type: application/json", "Content-Length: \(answer.utf8.count)"], body: answer),
                close: false)
        }
        defer { upstream.stop() }
        let client = GraphQLClient(
            upstream: try UpstreamClient(name: "unioo", url: UpstreamURL("http://127.0.0.1:\(upstream.port)/graphql")!))
        let lifecycle = ServerLifecycle()
        let gateway = try TestServer(
            responder: GatewayResponder(
                lifecycle: lifecycle, routes: try RouteValidator().compile(yaml: BuiltInConfiguration.routesYAML),
                clients: ["unioo": client]),
            lifecycle: lifecycle)
        defer { gateway.stop() }
        let connection = try gateway.connect()
        try connection.send("GET \(target) HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer \(ErrorMappingTests.token)\r\n\r\n")
        return try connection.readResponse()
    }

    private static let group =
        #"{ "id" : "rg-1", "name":"Caf\u00e9 \"Nord\"", "description":null, "externalId":"RG\/1", "isAccountingRequired":true, "isStatutesRequired":false, "isSummaryRequired":false }"#

    @Test func thePageKeepsTheUpstreamsItemsAndAddsTheCursorAndCount() throws {
        let answer = """
            {"data": {"riskGroups": {"totalCount": 7, "nodes": [\(Self.group), \(Self.group)],
              "pageInfo": {"hasNextPage": true, "endCursor": "c\\/2+="}}}}
            """
        let response = try get("/risk-groups?limit=2", answer: answer)
        #expect(response.status == 200)
        let body = String(decoding: response.body, as: UTF8.self)
        // The items exactly as written upstream (its spacing and escapes), then our members.
        #expect(body == #"{"items":[\#(Self.group), \#(Self.group)],"nextCursor":"c/2+=","totalCount":7}"#)
        #expect(response.header("Link") == "<http://g/risk-groups?limit=2&cursor=c%2F2%2B%3D>; rel=\"next\"")
        let parsed = try JSONParser.parse(response.body)
        #expect(parsed["items"]?.array?.first?["name"]?.string == "Café \"Nord\"")
    }

    @Test func theLastPageHasANullCursorAndNoLink() throws {
        let answer = #"{"data":{"riskGroups":{"totalCount":null,"nodes":null,"pageInfo":{"hasNextPage":false,"endCursor":"c9"}}}}"#
        let response = try get("/risk-groups", answer: answer)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"items":[],"nextCursor":null}"#)
        #expect(response.header("Link") == nil)
    }

    @Test func answersTheScanCannotTakeAreShapedByTheParse() throws {
        let withErrors = #"{"data":{"riskGroups":null},"errors":[{"message":"Not for you","extensions":{"code":"AUTH_NOT_AUTHORIZED"}}]}"#
        #expect(try get("/risk-groups", answer: withErrors).status == 403)
        let nullResult = #"{"data":{"riskGroups":null}}"#
        let response = try get("/risk-groups", answer: nullResult)
        #expect(response.status == 502)
        #expect(String(decoding: response.body, as: UTF8.self).contains("with null and no error"))
        let broken = #"{"data":{"riskGroups":{"nodes":[1,]}}}"#
        #expect(try get("/risk-groups", answer: broken).status == 502)
    }
}
