import Foundation
import RestgateHTTP
import RestgateSandbox
import RestgateTestSupport

@testable import RestgateJSON
@testable import RestgateServer

/// Sends GraphQL documents to a sandbox over a real socket and reads the JSON back.
struct SandboxClient {
    let server: TestServer

    init(configuration: SandboxConfiguration = SandboxConfiguration()) throws {
        server = try TestServer(responder: try Sandbox(configuration: configuration))
    }

    struct Answer {
        var status: Int
        var json: [String: Any]

        var data: [String: Any]? { json["data"] as? [String: Any] }
        var errors: [[String: Any]] { json["errors"] as? [[String: Any]] ?? [] }
        var messages: [String] { errors.compactMap { $0["message"] as? String } }
        var codes: [String] { errors.compactMap { ($0["extensions"] as? [String: Any])?["code"] as? String } }

        /// A value at a dotted path under `data`, e.g. `riskGroups.pageInfo.endCursor`.
        func value(_ path: String) -> Any? {
            var current: Any? = data
            for key in path.split(separator: ".") {
                if let index = Int(key), let array = current as? [Any] {
                    current = index < array.count ? array[index] : nil
                } else {
                    current = (current as? [String: Any])?[String(key)]
                }
            }
            return current is NSNull ? nil : current
        }
    }

    func send(_ path: String, _ query: String, variables: [String: Any] = [:], token: String? = nil) throws -> Answer {
        let body = try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables])
        var head = "POST \(path) HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let connection = try server.connect()
        try connection.send(Array((head + "\r\n").utf8) + Array(body))
        let response = try connection.readResponse()
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return Answer(status: response.status, json: json)
    }

    func unioo(_ query: String, variables: [String: Any] = [:], token: String? = nil) throws -> Answer {
        try send(Sandbox.uniooPath, query, variables: variables, token: token)
    }

    func elements(_ query: String, variables: [String: Any] = [:], token: String? = nil) throws -> Answer {
        try send(Sandbox.elementsPath, query, variables: variables, token: token)
    }

    func uniooToken() throws -> String {
        let answer = try unioo(
            #"mutation { authenticate(input: {clientId: "sandbox-bank", secret: "sandbox-secret"}) { authenticationPayload { jwt } } }"#)
        guard let jwt = answer.value("authenticate.authenticationPayload.jwt") as? String else {
            throw TestFailure("no jwt: \(answer.json)")
        }
        return jwt
    }

    func elementsToken() throws -> String {
        let answer = try elements(
            #"mutation { signIn(input: {usernameOrEmail: "advisor@sandbox.example", password: "sandbox-password"}) { tokenSet { accessToken } } }"#
        )
        guard let token = answer.value("signIn.tokenSet.accessToken") as? String else { throw TestFailure("no token: \(answer.json)") }
        return token
    }

    static let lowRisk = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01"
    static let copenhagen = "0b5e7d10-2c3a-4b8e-9f61-7a2d4c6e8b01"

    static let invitationFields = """
        id organizationName vatNumber externalId chairmanFirstName chairmanLastName chairmanEmail chairmanCallingCode
        chairmanPhoneNumber isInvitationFlowStarted isInvitationValid invalidReasons { reason } invitationDate
        riskGroup { id name } branchOffice { id name } invitationBankAccounts { id bankAccount { registrationNumber accountNumber isPrimary } }
        """

    /// Creates an invitation and returns the whole answer.
    func create(_ input: [String: Any], token: String) throws -> Answer {
        try unioo(
            "mutation($input: CreateOrganizationInvitationInput!) { createOrganizationInvitation(input: $input) { organizationInvitation { \(Self.invitationFields) } } }",
            variables: ["input": input], token: token)
    }

    static func completeInput(_ name: String = "Acme ApS") -> [String: Any] {
        [
            "organizationName": name, "vatNumber": "DK12345678", "riskGroupId": lowRisk,
            "contactPerson": [
                "firstName": "Mette", "lastName": "Hansen", "email": "mette@acme.example", "callingCode": "DK", "phoneNumber": "20304050",
            ],
        ]
    }

    func send(invitation id: String, token: String) throws -> Answer {
        try unioo(
            """
            mutation($input: StartInvitationFlowInput!) { startInvitationFlow(input: $input) {
              organizationInvitation { id isInvitationFlowStarted invitationDate } invitationsLeft { invitationsLeftThisMonth invitationsLeftThisWeek } } }
            """, variables: ["input": ["invitationId": id]], token: token)
    }
}
