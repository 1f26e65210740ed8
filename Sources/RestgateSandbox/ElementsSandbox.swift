import Foundation
import GraphQL
import OrderedCollections
import RestgateConfiguration
import RestgateHTTP
import RestgateJSON
import RestgateServer

/// The sandbox of the Elements API: sign-in and token refresh, and one seeded firm whose
/// client invitations and clients span several pages.
final class ElementsSandbox: Sendable {
    static let username = "advisor@sandbox.example"
    static let password = "sandbox-password"
    static let firmID = "firm-7d3c2b1a"
    static let userID = "user-4e5f6a7b"
    static let pageSize = 10

    let endpoint: GraphQLEndpoint

    init(tokens: TokenIssuer) throws {
        let invitations = Self.seedInvitations()
        let clients = Self.seedClients()
        endpoint = try GraphQLEndpoint(
            sdl: BuiltInConfiguration.schemas["elements"] ?? "",
            query: [
                "clientInvitationsForFirm": { _, arguments, _, _ in
                    try Self.page(invitations, arguments: arguments, kind: "clientInvitations")
                },
                "firmClientsForFirm": { _, arguments, _, _ in
                    try Self.page(clients, arguments: arguments, kind: "firmClients")
                },
            ],
            mutation: [
                "signIn": { _, arguments, _, _ in
                    guard arguments["input"]["usernameOrEmail"].string == Self.username,
                        arguments["input"]["password"].string == Self.password
                    else { throw SandboxError("Invalid username, e-mail or password.", code: "UNAUTHENTICATED") }
                    return [
                        "user": ["id": Self.userID] as [String: any Sendable],
                        "tokenSet": Self.tokenSet(tokens),
                        "firms": [
                            "items": [["id": Self.firmID] as [String: any Sendable]],
                            "pageInfo": ["hasNextPage": false] as [String: any Sendable],
                        ]
                            as [String: any Sendable],
                    ] as [String: any Sendable]
                },
                "refreshTokens": { _, arguments, _, _ in
                    guard let token = arguments["input"]["refreshToken"].string, tokens.verify(token, audience: "elements-refresh") != nil
                    else {
                        throw SandboxError("The refresh token is invalid or expired.", code: "UNAUTHENTICATED")
                    }
                    return ["tokenSet": Self.tokenSet(tokens)] as [String: any Sendable]
                },
            ],
            publicFields: ["signIn", "refreshTokens", "__typename"], audience: "elements", unauthenticatedCode: "UNAUTHENTICATED",
            tokens: tokens)
    }

    private static func tokenSet(_ tokens: TokenIssuer) -> [String: any Sendable] {
        [
            "accessToken": tokens.issue(subject: userID, audience: "elements"),
            "refreshToken": tokens.issue(subject: userID, audience: "elements-refresh"),
        ]
    }

    /// One page of `items` after `cursor`. Like the real API, the last page still carries an
    /// `endCursor`; only `hasNextPage` says it is the last.
    private static func page(_ items: [[String: any Sendable]], arguments: Map, kind: String) throws -> [String: any Sendable] {
        let firm = arguments["firmID"].string ?? ""
        guard firm == firmID else { throw SandboxError("Firm with id (\(firm)) not found", code: "NOT_FOUND") }
        let start = try arguments["cursor"].string.map { min(try RelayPage.offset(of: $0, kind: kind), items.count - 1) + 1 } ?? 0
        let end = min(start + pageSize, items.count)
        let slice = start < end ? Array(items[start..<end]) : []
        var pageInfo: [String: any Sendable] = ["hasNextPage": end < items.count]
        if end > 0 { pageInfo["endCursor"] = RelayPage.cursor(max(start, end - 1), kind: kind) }
        return ["items": slice, "pageInfo": pageInfo]
    }

    private static let givenNames = [
        "Astrid", "Bjørn", "Carla", "Dag", "Eva", "Frode", "Greta", "Hans", "Ingrid", "Jonas", "Karen", "Lars",
    ]
    private static let familyNames = ["Andersen", "Berg", "Christensen", "Dahl", "Eriksen", "Foss", "Gundersen", "Holm", "Iversen"]

    private static func seedInvitations() -> [[String: any Sendable]] {
        (0..<25).map { index in
            let given = givenNames[index % givenNames.count]
            let family = familyNames[index % familyNames.count]
            let accepted = index % 4 == 0
            let day = String(format: "%02d", index % 28 + 1)
            var invitation: [String: any Sendable] = [
                "id": "ci-\(1000 + index)", "createdAt": "2026-10-\(day)T09:00:00Z", "updatedAt": "2026-10-\(day)T09:30:00Z",
                "firmID": firmID, "clientID": "client-\(2000 + index / 2)", "householdID": "household-\(3000 + index / 2)",
                "inviteeEmail": "\(given.lowercased()).\(family.lowercased())\(index)@example.com", "inviteeGivenName": given,
                "inviteeFamilyName": family, "status": accepted ? "ACCEPTED" : "PENDING",
            ]
            if accepted { invitation["acceptedAt"] = "2026-11-\(day)T12:00:00Z" }
            return invitation
        }
    }

    private static func seedClients() -> [[String: any Sendable]] {
        let modes = ["PROSPECT", "ONBOARDING_IN_PROGRESS", "ONBOARDING_COMPLETED"]
        return (0..<23).map { index in
            let given = givenNames[(index + 3) % givenNames.count]
            let family = familyNames[(index + 2) % familyNames.count]
            let day = String(format: "%02d", index % 28 + 1)
            return [
                "id": "client-\(2000 + index)", "createdAt": "2026-09-\(day)T08:00:00Z", "updatedAt": "2026-11-\(day)T08:00:00Z",
                "givenNamesDisplay": given, "familyNamesDisplay": family, "status": index % 7 == 6 ? "ARCHIVED" : "ACTIVE",
                "mode": modes[index % modes.count], "household": ["id": "household-\(3000 + index)"] as [String: any Sendable],
                "individuals": [
                    [
                        "givenName": given, "familyName": family, "emailAddress": "\(given.lowercased())@example.com",
                        "phoneNumber": "+45 2000 \(1000 + index)",
                    ]
                        as [String: any Sendable]
                ],
            ]
        }
    }
}
