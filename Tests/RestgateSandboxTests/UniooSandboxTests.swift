import Foundation
import RestgateSandbox
import RestgateTestSupport
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateServer

/// The Unioo sandbox, driven with GraphQL documents over a real socket: every rule of
/// shared/upstreams/BEHAVIOUR.md.
@Suite struct UniooSandboxTests {
    @Test func authenticateIssuesAJWTAndRefusesBadCredentials() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        #expect(token.split(separator: ".").count == 3)
        let refused = try sandbox.unioo(
            #"mutation { authenticate(input: {clientId: "sandbox-bank", secret: "wrong"}) { authenticationPayload { jwt } } }"#)
        #expect(refused.messages == ["Invalid client credentials."])
        #expect(refused.codes == ["AUTH_NOT_AUTHENTICATED"])
    }

    @Test func missingForgedAndExpiredTokensGetTheAuthErrorWithNullData() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let query = "{ riskGroups { totalCount } }"
        let token = try sandbox.uniooToken()
        let forged = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BB" : "AA")
        for attempt in [nil, "not-a-jwt", forged] {
            let answer = try sandbox.unioo(query, token: attempt)
            #expect(answer.status == 200)
            #expect(answer.json["data"] is NSNull)
            #expect(answer.messages == ["The current user is not authorized to access this resource."])
            #expect(answer.codes == ["AUTH_NOT_AUTHENTICATED"])
        }
        var shortLived = SandboxConfiguration()
        shortLived.tokenLifetimeSeconds = 0
        let expiring = try SandboxClient(configuration: shortLived)
        defer { expiring.server.stop() }
        #expect(try expiring.unioo(query, token: try expiring.uniooToken()).codes == ["AUTH_NOT_AUTHENTICATED"])
        #expect(try sandbox.unioo(query, token: token).value("riskGroups.totalCount") as? Int == 3)
    }

    @Test func aFieldTheSchemaLacksIsAValidationError() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let answer = try sandbox.unioo("{ riskGroups { nodes { id colour } } }", token: try sandbox.uniooToken())
        #expect(answer.status == 400)
        #expect(answer.codes == ["GRAPHQL_VALIDATION_FAILED"])
        #expect(answer.messages.first?.contains("colour") == true)
        let syntax = try sandbox.unioo("{ riskGroups { ", token: nil)
        #expect(syntax.status == 400)
        #expect(syntax.codes == ["GRAPHQL_PARSE_FAILED"])
    }

    @Test func riskGroupsPageForwardAndBackward() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        let page = "totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
        let first = try sandbox.unioo("{ riskGroups(first: 2) { \(page) } }", token: token)
        #expect((first.value("riskGroups.nodes") as? [Any])?.count == 2)
        #expect(first.value("riskGroups.pageInfo.hasNextPage") as? Bool == true)
        let cursor = try #require(first.value("riskGroups.pageInfo.endCursor") as? String)
        let second = try sandbox.unioo(
            #"query($after: String) { riskGroups(first: 2, after: $after) { \#(page) } }"#, variables: ["after": cursor], token: token)
        #expect(second.value("riskGroups.nodes.0.name") as? String == "High risk")
        #expect(second.value("riskGroups.pageInfo.hasNextPage") as? Bool == false)
        #expect(second.value("riskGroups.pageInfo.hasPreviousPage") as? Bool == true)
        let back = try sandbox.unioo(
            #"query($before: String) { riskGroups(last: 1, before: $before) { \#(page) } }"#,
            variables: ["before": try #require(second.value("riskGroups.pageInfo.startCursor") as? String)], token: token)
        #expect(back.value("riskGroups.nodes.0.name") as? String == "Medium risk")
        let mixed = try sandbox.unioo("{ riskGroups(first: 1, last: 1) { totalCount } }", token: token)
        #expect(mixed.messages.first?.contains("cannot be mixed") == true)
        // Hand-made cursors past the end, even at Int.max, page to nothing and never crash.
        for offset in ["10", "9223372036854775807", "9223372036854775806"] {
            let cursor = Data("riskGroups|\(offset)|restgate-sandbox".utf8).base64EncodedString()
            let before = try sandbox.unioo(
                #"query($c: String) { riskGroups(last: 1, before: $c) { nodes { name } } }"#, variables: ["c": cursor], token: token)
            #expect(before.value("riskGroups.nodes.0.name") as? String == "High risk")
            let after = try sandbox.unioo(
                #"query($c: String) { riskGroups(first: 1, after: $c) { nodes { name } } }"#, variables: ["c": cursor], token: token)
            #expect((after.value("riskGroups.nodes") as? [Any])?.isEmpty == true)
        }
        let tooMany = try sandbox.unioo("{ riskGroups(first: 101) { totalCount } }", token: token)
        #expect(tooMany.messages.first?.contains("maximum allowed items per page") == true)
    }

    @Test func invitationDraftsFollowTheBankAccountAndCallingCodeRules() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        var input = SandboxClient.completeInput()
        input["bankAccounts"] = [
            ["registrationNumber": "1234", "accountNumber": "0012345678"], ["registrationNumber": "4321", "accountNumber": "0087654321"],
        ]
        let created = try sandbox.create(input, token: token)
        #expect(created.errors.isEmpty)
        let invitation = "createOrganizationInvitation.organizationInvitation"
        #expect(created.value("\(invitation).chairmanCallingCode") as? String == "0045")
        #expect(created.value("\(invitation).riskGroup.name") as? String == "Low risk")
        #expect(created.value("\(invitation).invitationBankAccounts.0.bankAccount.isPrimary") as? Bool == true)
        #expect(created.value("\(invitation).invitationBankAccounts.1.bankAccount.isPrimary") as? Bool == false)
        #expect(created.value("\(invitation).isInvitationValid") as? Bool == true)

        let cases: [(String, Any, String)] = [
            ("riskGroupId", "00000000-0000-0000-0000-000000000000", "Risk group with id (00000000-0000-0000-0000-000000000000) not found"),
            (
                "bankAccounts", [["registrationNumber": "123", "accountNumber": "0012345678"]],
                "bankAccounts[0].registrationNumber must be exactly 4 characters; got 3."
            ),
            (
                "bankAccounts", [["registrationNumber": "1234", "accountNumber": "123456789"]],
                "bankAccounts[0].accountNumber must be exactly 10 characters; got 9."
            ),
            (
                "bankAccounts",
                [
                    ["registrationNumber": "1234", "accountNumber": "0012345678", "isPrimary": true],
                    ["registrationNumber": "1234", "accountNumber": "0012345679", "isPrimary": true],
                ],
                "bankAccounts: at most one account can be primary (isPrimary); got 2."
            ),
            (
                "contactPerson", ["callingCode": "0045"],
                "contactPerson.callingCode must be an ISO 3166-1 alpha-2 country code such as \"DK\"; got \"0045\"."
            ),
        ]
        for (field, value, message) in cases {
            var bad = SandboxClient.completeInput()
            bad[field] = value
            let answer = try sandbox.create(bad, token: token)
            #expect(answer.messages == [message])
            #expect(answer.value("createOrganizationInvitation") == nil)
        }
    }

    @Test func draftsReportWhatIsMissingAndUpdatesChangeOnlyWhatIsGiven() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        let created = try sandbox.create(["organizationName": "Draft A/S", "riskGroupId": SandboxClient.lowRisk], token: token)
        let id = try #require(created.value("createOrganizationInvitation.organizationInvitation.id") as? String)
        #expect(created.value("createOrganizationInvitation.organizationInvitation.isInvitationValid") as? Bool == false)
        let reasons = created.value("createOrganizationInvitation.organizationInvitation.invalidReasons") as? [[String: Any]]
        #expect(reasons?.count == 4)

        let update = """
            mutation($input: UpdateOrganizationInvitationInformationInput!) { updateOrganizationInvitationInformation(input: $input) {
              organizationInvitation { organizationName vatNumber chairmanFirstName chairmanEmail isInvitationValid } } }
            """
        let vat = try sandbox.unioo(update, variables: ["input": ["invitationId": id, "vatNumber": "DK87654321"]], token: token)
        #expect(vat.value("updateOrganizationInvitationInformation.organizationInvitation.organizationName") as? String == "Draft A/S")
        #expect(vat.value("updateOrganizationInvitationInformation.organizationInvitation.vatNumber") as? String == "DK87654321")
        let email = try sandbox.unioo(
            update, variables: ["input": ["invitationId": id, "contactPerson": ["email": "a@b.example"]]], token: token)
        #expect(email.value("updateOrganizationInvitationInformation.organizationInvitation.chairmanEmail") as? String == "a@b.example")
        #expect(email.value("updateOrganizationInvitationInformation.organizationInvitation.chairmanFirstName") == nil)
        let untouched = try sandbox.unioo(update, variables: ["input": ["invitationId": id, "contactPerson": NSNull()]], token: token)
        #expect(untouched.value("updateOrganizationInvitationInformation.organizationInvitation.chairmanEmail") as? String == "a@b.example")
    }

    @Test func sendingWithMissingInformationReportsEachItemWithoutThrowing() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        let created = try sandbox.create(
            ["organizationName": "Half Done", "riskGroupId": SandboxClient.lowRisk, "vatNumber": "DK1"], token: token)
        let id = try #require(created.value("createOrganizationInvitation.organizationInvitation.id") as? String)
        let answer = try sandbox.send(invitation: id, token: token)
        #expect(answer.status == 200)
        #expect(answer.value("startInvitationFlow") == nil)
        #expect(answer.errors.allSatisfy { ($0["path"] as? [String]) == ["startInvitationFlow"] })
        #expect(
            answer.messages == [
                "Missing required information: contactPerson.firstName", "Missing required information: contactPerson.lastName",
                "Missing required information: contactPerson.email",
            ])
    }

    @Test func sendingSpendsTheQuotaAndLocksTheDraft() throws {
        var configuration = SandboxConfiguration()
        configuration.invitationsPerMonth = 5
        configuration.invitationsPerWeek = 2
        let sandbox = try SandboxClient(configuration: configuration)
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        var ids: [String] = []
        for index in 0..<3 {
            let created = try sandbox.create(SandboxClient.completeInput("Company \(index)"), token: token)
            ids.append(try #require(created.value("createOrganizationInvitation.organizationInvitation.id") as? String))
        }
        let first = try sandbox.send(invitation: ids[0], token: token)
        #expect(first.value("startInvitationFlow.invitationsLeft.invitationsLeftThisMonth") as? Int == 4)
        #expect(first.value("startInvitationFlow.invitationsLeft.invitationsLeftThisWeek") as? Int == 1)
        #expect(first.value("startInvitationFlow.organizationInvitation.isInvitationFlowStarted") as? Bool == true)
        #expect(first.value("startInvitationFlow.organizationInvitation.invitationDate") is String)
        #expect(try sandbox.send(invitation: ids[0], token: token).messages == ["Invitation flow already started"])
        let update = try sandbox.unioo(
            "mutation($input: UpdateOrganizationInvitationInformationInput!) { updateOrganizationInvitationInformation(input: $input) { organizationInvitation { id } } }",
            variables: ["input": ["invitationId": ids[0], "vatNumber": "X"]], token: token)
        #expect(update.messages == ["Invitation flow already started; the invitation can no longer be changed."])
        #expect(try sandbox.send(invitation: ids[1], token: token).errors.isEmpty)
        let spent = try sandbox.send(invitation: ids[2], token: token)
        #expect(spent.messages == ["No more invitations left this week"])
        #expect(spent.codes.isEmpty)

        var monthly = SandboxConfiguration()
        monthly.invitationsPerMonth = 1
        let small = try SandboxClient(configuration: monthly)
        defer { small.server.stop() }
        let smallToken = try small.uniooToken()
        let a = try #require(
            try small.create(SandboxClient.completeInput("A"), token: smallToken).value(
                "createOrganizationInvitation.organizationInvitation.id") as? String)
        let b = try #require(
            try small.create(SandboxClient.completeInput("B"), token: smallToken).value(
                "createOrganizationInvitation.organizationInvitation.id") as? String)
        #expect(try small.send(invitation: a, token: smallToken).errors.isEmpty)
        #expect(try small.send(invitation: b, token: smallToken).messages == ["No more invitations left this month"])
    }

    @Test func invitationsAreFoundByIDNameAndVATAndMoveToOrganizationsWhenAccepted() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        let id = try #require(
            try sandbox.create(SandboxClient.completeInput("Findable ApS"), token: token).value(
                "createOrganizationInvitation.organizationInvitation.id") as? String)
        _ = try sandbox.create(SandboxClient.completeInput("Other ApS"), token: token)
        let list =
            "query($where: OrganizationInvitationFilterInput) { organizationInvitations(where: $where) { totalCount nodes { id organizationName } } }"
        #expect(
            try sandbox.unioo(list, variables: ["where": ["id": ["eq": id]]], token: token).value("organizationInvitations.totalCount")
                as? Int == 1)
        #expect(
            try sandbox.unioo(list, variables: ["where": ["organizationName": ["eq": "Other ApS"]]], token: token).value(
                "organizationInvitations.nodes.0.organizationName") as? String == "Other ApS")
        #expect(
            try sandbox.unioo(list, variables: ["where": ["vatNumber": ["eq": "DK12345678"]]], token: token).value(
                "organizationInvitations.totalCount") as? Int == 2)
        #expect(
            try sandbox.unioo(list, variables: ["where": ["id": ["eq": "00000000-0000-0000-0000-000000000000"]]], token: token).value(
                "organizationInvitations.totalCount") as? Int == 0)
        var otherVAT = SandboxClient.completeInput("Zulu ApS")
        otherVAT["vatNumber"] = "DK99999999"
        _ = try sandbox.create(otherVAT, token: token)
        #expect(
            try sandbox.unioo(list, variables: ["where": ["organizationName": ["contains": "ZULU"]]], token: token).value(
                "organizationInvitations.totalCount") as? Int == 1)
        let descending = try sandbox.unioo(
            #"{ organizationInvitations(order: [{vatNumber: DESC}]) { nodes { vatNumber } } }"#, token: token)
        #expect(descending.value("organizationInvitations.nodes.0.vatNumber") as? String == "DK99999999")
        let ascending = try sandbox.unioo(#"{ organizationInvitations(order: [{vatNumber: ASC}]) { nodes { vatNumber } } }"#, token: token)
        #expect(ascending.value("organizationInvitations.nodes.0.vatNumber") as? String == "DK12345678")

        let relation = """
            mutation($input: UpdateOrganizationInvitationBranchOfficeRelationInput!) { updateOrganizationInvitationBranchOfficeRelation(input: $input) {
              organizationInvitationPayload { organizationInvitation { branchOffice { id name } } } } }
            """
        let set = try sandbox.unioo(
            relation, variables: ["input": ["input": ["invitationId": id, "branchOfficeId": SandboxClient.copenhagen]]], token: token)
        #expect(
            set.value(
                "updateOrganizationInvitationBranchOfficeRelation.organizationInvitationPayload.organizationInvitation.branchOffice.name")
                as? String == "Copenhagen City")
        let removed = try sandbox.unioo(
            relation, variables: ["input": ["input": ["invitationId": id, "branchOfficeId": NSNull()]]], token: token)
        #expect(removed.errors.isEmpty)
        #expect(
            removed.value(
                "updateOrganizationInvitationBranchOfficeRelation.organizationInvitationPayload.organizationInvitation.branchOffice") == nil
        )

        #expect(try sandbox.send(invitation: id, token: token).errors.isEmpty)
        let accept = try sandbox.server.request(
            "POST /unioo/sandbox/invitations/\(id)/accept HTTP/1.1\r\nHost: s\r\nContent-Length: 0\r\n\r\n")
        #expect(accept.status == 200)
        #expect(
            try sandbox.unioo(list, variables: ["where": ["id": ["eq": id]]], token: token).value("organizationInvitations.totalCount")
                as? Int == 0)
        let organizations = try sandbox.unioo(
            #"{ organizations(where: {name: {eq: "Findable ApS"}}) { totalCount nodes { name vatNumber bankRelation { riskGroup { name } } } } }"#,
            token: token)
        #expect(organizations.value("organizations.totalCount") as? Int == 1)
        #expect(organizations.value("organizations.nodes.0.bankRelation.riskGroup.name") as? String == "Low risk")
    }

    /// The sandbox serves public demo credentials: its store is bounded, oldest drafts first.
    @Test func theStoreKeepsAtMostItsLimitDroppingTheOldestDraftFirst() throws {
        var configuration = SandboxConfiguration()
        configuration.maxInvitations = 3
        let sandbox = try SandboxClient(configuration: configuration)
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        func create(_ name: String) throws -> String {
            let answer = try sandbox.create(SandboxClient.completeInput(name), token: token)
            return try #require(answer.value("createOrganizationInvitation.organizationInvitation.id") as? String)
        }
        let sent = try create("Sent ApS")
        #expect(try sandbox.send(invitation: sent, token: token).errors.isEmpty)
        let oldestDraft = try create("Oldest ApS")
        let second = try create("Second ApS")
        let third = try create("Third ApS")
        let listed = try sandbox.unioo(
            "{ organizationInvitations(first: 100) { totalCount nodes { id isInvitationFlowStarted } } }", token: token)
        #expect(listed.value("organizationInvitations.totalCount") as? Int == 3)
        let ids = (listed.value("organizationInvitations.nodes") as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(Set(ids) == [sent, second, third])
        #expect(!ids.contains(oldestDraft))
    }

    @Test func aFilteredAndOrderedListReturnsOnePageOfWholeValues() throws {
        let sandbox = try SandboxClient()
        defer { sandbox.server.stop() }
        let token = try sandbox.uniooToken()
        for (index, name) in ["Beta ApS", "Alpha ApS", "Gamma ApS", "Alpha Holding"].enumerated() {
            var input = SandboxClient.completeInput(name)
            input["vatNumber"] = "DK1000000\(index)"
            _ = try sandbox.create(input, token: token)
        }
        let listed = try sandbox.unioo(
            """
            { organizationInvitations(first: 1, where: {organizationName: {contains: "alpha"}}, order: [{vatNumber: DESC}]) {
                totalCount nodes { organizationName riskGroup { name } } pageInfo { hasNextPage } } }
            """, token: token)
        #expect(listed.errors.isEmpty)
        #expect(listed.value("organizationInvitations.totalCount") as? Int == 2)
        #expect(listed.value("organizationInvitations.nodes.0.organizationName") as? String == "Alpha Holding")
        #expect(listed.value("organizationInvitations.nodes.0.riskGroup.name") as? String == "Low risk")
        #expect(listed.value("organizationInvitations.pageInfo.hasNextPage") as? Bool == true)
    }
}
