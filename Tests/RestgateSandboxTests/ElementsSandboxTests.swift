import Foundation
import RestgateSandbox
import RestgateTestSupport
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateServer

@Suite struct ElementsSandboxTests {
    @Test func signInGivesTokensAndTheFirmAndRefreshWorks() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let answer = try sandbox.elements(
            #"mutation { signIn(input: {usernameOrEmail: "advisor@sandbox.example", password: "sandbox-password"}) { user { id } tokenSet { accessToken refreshToken } firms { items { id } } } }"#
        )
        #expect(answer.value("signIn.firms.items.0.id") as? String == Sandbox.demoFirmID)
        let refresh = try #require(answer.value("signIn.tokenSet.refreshToken") as? String)
        let refreshed = try sandbox.elements(
            "mutation($input: RefreshTokensInput!) { refreshTokens(input: $input) { tokenSet { accessToken } } }",
            variables: ["input": ["refreshToken": refresh]])
        #expect(refreshed.value("refreshTokens.tokenSet.accessToken") is String)
        let wrong = try sandbox.elements(#"mutation { signIn(input: {usernameOrEmail: "x", password: "y"}) { user { id } } }"#)
        #expect(wrong.codes == ["UNAUTHENTICATED"])
        let anonymous = try sandbox.elements(#"{ clientInvitationsForFirm(firmID: "firm-7d3c2b1a") { items { id } } }"#)
        #expect(anonymous.json["data"] is NSNull)
        #expect(anonymous.codes == ["UNAUTHENTICATED"])
    }

    @Test func clientInvitationsArePagedByCursorWithAnEndCursorOnTheLastPage() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.elementsToken()
        let query =
            "query($firm: ID!, $cursor: String) { clientInvitationsForFirm(firmID: $firm, cursor: $cursor) { items { id status acceptedAt } pageInfo { hasNextPage endCursor } } }"
        var cursor: String?
        var seen: [String] = []
        var pages = 0
        repeat {
            var variables: [String: Any] = ["firm": Sandbox.demoFirmID]
            if let cursor { variables["cursor"] = cursor }
            let answer = try sandbox.elements(query, variables: variables, token: token)
            let items = try #require(answer.value("clientInvitationsForFirm.items") as? [[String: Any]])
            seen += items.compactMap { $0["id"] as? String }
            pages += 1
            let more = answer.value("clientInvitationsForFirm.pageInfo.hasNextPage") as? Bool ?? false
            let end = answer.value("clientInvitationsForFirm.pageInfo.endCursor") as? String
            #expect(end != nil)
            cursor = more ? end : nil
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen.count == 25)
        #expect(Set(seen).count == 25)
    }

    @Test func firmClientsArePagedAndAnUnknownFirmIsAnError() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.elementsToken()
        let first = try sandbox.elements(
            #"{ firmClientsForFirm(firmID: "firm-7d3c2b1a") { items { id household { id } individuals { givenName } } pageInfo { hasNextPage endCursor } } }"#,
            token: token)
        #expect((first.value("firmClientsForFirm.items") as? [Any])?.count == 10)
        #expect(first.value("firmClientsForFirm.pageInfo.hasNextPage") as? Bool == true)
        let unknown = try sandbox.elements(#"{ clientInvitationsForFirm(firmID: "nope") { items { id } } }"#, token: token)
        #expect(unknown.messages == ["Firm with id (nope) not found"])
        #expect(unknown.codes == ["NOT_FOUND"])
    }
}
