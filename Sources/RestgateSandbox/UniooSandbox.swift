import Foundation
import GraphQL
import OrderedCollections
import RestgateConfiguration
import RestgateHTTP
import RestgateJSON
import RestgateServer
import Synchronization

/// The sandbox of Unioo's bank API: authentication, reference data, invitation drafts with
/// their rules, the invitation flow with quotas, and organizations.
final class UniooSandbox: Sendable {
    static let clientID = "sandbox-bank"
    static let secret = "sandbox-secret"

    /// The state behind a lock: requests arrive on every event loop.
    final class Store: Sendable {
        let state: Mutex<UniooState>
        init(_ state: UniooState) { self.state = Mutex(state) }
    }

    let store: Store
    let endpoint: GraphQLEndpoint

    init(tokens: TokenIssuer, quota: Quota, maxInvitations: Int) throws {
        let store = Store(UniooState(quota: quota, maxInvitations: maxInvitations))
        self.store = store
        endpoint = try GraphQLEndpoint(
            sdl: BuiltInConfiguration.schemas["unioo"] ?? "", query: Self.queryResolvers(store),
            mutation: Self.mutationResolvers(store, tokens),
            publicFields: ["authenticate", "__typename"], audience: "unioo", unauthenticatedCode: "AUTH_NOT_AUTHENTICATED", tokens: tokens)
    }

    // MARK: Queries

    private static func queryResolvers(_ store: Store) -> [String: GraphQLFieldResolve] {
        [
            "bank": { _, _, _, _ in ["id": "3f2b9c4d-1e6a-4b7c-8d9e-0f1a2b3c4d5e", "name": "Sandbox Bank"] as [String: any Sendable] },
            "riskGroups": { _, arguments, _, _ in
                let items = store.state.withLock { state in state.riskGroups.map(Self.value) }
                return try RelayPage(arguments: arguments, total: items.count, kind: "riskGroups").connection(items, kind: "riskGroups")
            },
            "branchOffices": { _, arguments, _, _ in
                let items = store.state.withLock { state in state.branchOffices.map(Self.value) }.filter {
                    Filter.matches($0, arguments["where"])
                }
                return try RelayPage(arguments: arguments, total: items.count, kind: "branchOffices").connection(
                    items, kind: "branchOffices")
            },
            "organizationInvitations": { _, arguments, _, _ in
                try store.state.withLock { state in
                    try Self.page(state.invitations, arguments, kind: "invitations", fields: Self.scalars) { Self.value($0, in: state) }
                }
            },
            "organizations": { _, arguments, _, _ in
                try store.state.withLock { state in
                    try Self.page(state.organizations, arguments, kind: "organizations", fields: Self.scalars) { Self.value($0, in: state) }
                }
            },
        ]
    }

    /// One page of `items` after `where` and `order`, which read only each item's scalar
    /// fields (all that `Filter` compares); whole values are built for the page alone.
    private static func page<Item>(
        _ items: [Item], _ arguments: Map, kind: String, fields: (Item) -> [String: any Sendable], value: (Item) -> [String: any Sendable]
    ) throws -> [String: any Sendable] {
        let matching = items.map { ($0, fields($0)) }.filter { Filter.matches($0.1, arguments["where"]) }
        let sorted = Filter.sorted(matching, by: arguments["order"]) { $0.1 }
        return try RelayPage(arguments: arguments, total: sorted.count, kind: kind).connection(kind: kind) { value(sorted[$0].0) }
    }

    // MARK: Mutations

    private static func mutationResolvers(_ store: Store, _ tokens: TokenIssuer) -> [String: GraphQLFieldResolve] {
        [
            "authenticate": { _, arguments, _, _ in
                guard arguments["input"]["clientId"].string == Self.clientID, arguments["input"]["secret"].string == Self.secret else {
                    throw SandboxError("Invalid client credentials.", code: "AUTH_NOT_AUTHENTICATED")
                }
                return ["authenticationPayload": ["jwt": tokens.issue(subject: Self.clientID, audience: "unioo")] as [String: any Sendable]]
                    as [String: any Sendable]
            },
            "createOrganizationInvitation": { _, arguments, _, _ in
                let input = arguments["input"]
                return try store.state.withLock { state throws(SandboxError) -> [String: any Sendable] in
                    let invitation = try Self.makeInvitation(input, in: state)
                    // Bounded under the public demo credentials: the oldest draft makes room.
                    if state.invitations.count >= state.maxInvitations {
                        state.invitations.remove(at: state.invitations.firstIndex { !$0.isFlowStarted } ?? 0)
                    }
                    state.invitations.append(invitation)
                    return ["organizationInvitation": Self.value(invitation, in: state)]
                }
            },
            "updateOrganizationInvitationInformation": { _, arguments, _, _ in
                let input = arguments["input"]
                return try store.state.withLock { state throws(SandboxError) -> [String: any Sendable] in
                    let index = try Self.draftIndex(input["invitationId"].string ?? "", in: state)
                    var invitation = state.invitations[index]
                    if let name = input["organizationName"].string { invitation.organizationName = name }
                    if let vat = input["vatNumber"].string { invitation.vatNumber = vat }
                    if let external = input["externalId"].string { invitation.externalId = external }
                    try Self.applyContact(input["contactPerson"], to: &invitation)
                    state.invitations[index] = invitation
                    return ["organizationInvitation": Self.value(invitation, in: state)]
                }
            },
            "updateOrganizationInvitationBranchOfficeRelation": { _, arguments, _, _ in
                let input = arguments["input"]["input"]
                return try store.state.withLock { state throws(SandboxError) -> [String: any Sendable] in
                    let index = try Self.draftIndex(input["invitationId"].string ?? "", in: state)
                    if let office = input["branchOfficeId"].string {
                        guard state.branchOffice(office) != nil else { throw SandboxError.notFound("Branch office", office) }
                        state.invitations[index].branchOfficeID = office
                    } else {
                        state.invitations[index].branchOfficeID = nil
                    }
                    let payload: [String: any Sendable] = ["organizationInvitation": Self.value(state.invitations[index], in: state)]
                    return ["organizationInvitationPayload": payload]
                }
            },
            "startInvitationFlow": { _, arguments, context, _ in
                let id = arguments["input"]["invitationId"].string ?? ""
                let now = Date()
                let outcome = try store.state.withLock { state throws(SandboxError) -> [String: any Sendable]? in
                    guard let index = state.invitations.firstIndex(where: { $0.id == id }) else {
                        throw SandboxError.notFound("Organization invitation", id)
                    }
                    guard !state.invitations[index].isFlowStarted else { throw SandboxError("Invitation flow already started") }
                    // Reported "without throwing": one error per missing item, the field null.
                    let missing = state.invitations[index].missingInformation
                    guard missing.isEmpty else {
                        (context as? SandboxContext)?.report(
                            missing.map { SandboxError("Missing required information: \($0)") }, field: "startInvitationFlow")
                        return nil
                    }
                    try state.quota.spend(at: now)
                    state.invitations[index].isFlowStarted = true
                    state.invitations[index].invitationDate = Timestamp.now()
                    let left = state.quota.left(at: now)
                    return [
                        "organizationInvitation": Self.value(state.invitations[index], in: state),
                        "invitationsLeft": ["invitationsLeftThisMonth": left.month, "invitationsLeftThisWeek": left.week]
                            as [String: any Sendable],
                    ]
                }
                return outcome
            },
        ]
    }

    /// The sandbox-only acceptance: the customer says yes, so the invitation becomes an organization.
    func accept(invitation id: String) throws(SandboxError) -> String {
        try store.state.withLock { state throws(SandboxError) -> String in
            guard let index = state.invitations.firstIndex(where: { $0.id == id }) else {
                throw SandboxError.notFound("Organization invitation", id)
            }
            let invitation = state.invitations[index]
            guard invitation.isFlowStarted else { throw SandboxError("Only an invitation whose flow has started can be accepted.") }
            state.invitations.remove(at: index)
            let organization = UniooState.Organization(
                id: UUID().uuidString.lowercased(), name: invitation.organizationName, vatNumber: invitation.vatNumber,
                creationDate: Timestamp.now(), bankAccounts: invitation.bankAccounts, externalId: invitation.externalId,
                riskGroupID: invitation.riskGroupID, branchOfficeID: invitation.branchOfficeID)
            state.organizations.append(organization)
            return organization.id
        }
    }

    // MARK: Rules

    private static func makeInvitation(_ input: Map, in state: UniooState) throws(SandboxError) -> UniooState.Invitation {
        let riskGroupID = input["riskGroupId"].string ?? ""
        guard state.riskGroup(riskGroupID) != nil else { throw SandboxError.notFound("Risk group", riskGroupID) }
        let branchOfficeID = input["branchOfficeId"].string
        if let branchOfficeID, state.branchOffice(branchOfficeID) == nil { throw SandboxError.notFound("Branch office", branchOfficeID) }
        var invitation = UniooState.Invitation(
            id: UUID().uuidString.lowercased(), organizationName: input["organizationName"].string ?? "",
            vatNumber: input["vatNumber"].string,
            externalId: input["externalId"].string, bankAccounts: try bankAccounts(input["bankAccounts"]), riskGroupID: riskGroupID,
            branchOfficeID: branchOfficeID)
        try applyContact(input["contactPerson"], to: &invitation)
        return invitation
    }

    /// Registration numbers are 4 characters and account numbers 10; at most one account is
    /// primary, and when none says so the first one is.
    private static func bankAccounts(_ input: Map) throws(SandboxError) -> [UniooState.BankAccount] {
        let entries = input.array ?? []
        var accounts: [UniooState.BankAccount] = []
        for (index, entry) in entries.enumerated() {
            let registration = entry["registrationNumber"].string ?? ""
            let account = entry["accountNumber"].string ?? ""
            guard registration.count == 4 else {
                throw SandboxError("bankAccounts[\(index)].registrationNumber must be exactly 4 characters; got \(registration.count).")
            }
            guard account.count == 10 else {
                throw SandboxError("bankAccounts[\(index)].accountNumber must be exactly 10 characters; got \(account.count).")
            }
            accounts.append(
                UniooState.BankAccount(
                    id: UUID().uuidString.lowercased(), registrationNumber: registration, accountNumber: account,
                    isPrimary: entry["isPrimary"].bool ?? false))
        }
        let primaries = accounts.filter(\.isPrimary).count
        guard primaries <= 1 else { throw SandboxError("bankAccounts: at most one account can be primary (isPrimary); got \(primaries).") }
        if primaries == 0, !accounts.isEmpty { accounts[0].isPrimary = true }
        return accounts
    }

    /// Only the members given change; a null or absent contactPerson leaves the contact alone.
    private static func applyContact(_ contact: Map, to invitation: inout UniooState.Invitation) throws(SandboxError) {
        guard contact.dictionary != nil else { return }
        if let value = contact["firstName"].string { invitation.firstName = value }
        if let value = contact["lastName"].string { invitation.lastName = value }
        if let value = contact["email"].string { invitation.email = value }
        if let value = contact["phoneNumber"].string { invitation.phoneNumber = value }
        if let value = contact["callingCode"].string { invitation.callingCode = try CallingCodes.dialCode(for: value) }
    }

    private static func draftIndex(_ id: String, in state: UniooState) throws(SandboxError) -> Int {
        guard let index = state.invitations.firstIndex(where: { $0.id == id }) else {
            throw SandboxError.notFound("Organization invitation", id)
        }
        guard !state.invitations[index].isFlowStarted else {
            throw SandboxError("Invitation flow already started; the invitation can no longer be changed.")
        }
        return index
    }

    // MARK: Values

    private static func value(_ group: UniooState.RiskGroup) -> [String: any Sendable] {
        [
            "id": group.id, "name": group.name, "description": group.description, "externalId": group.externalId,
            "isAccountingRequired": group.isAccountingRequired, "isStatutesRequired": group.isStatutesRequired,
            "isSummaryRequired": group.isSummaryRequired,
        ]
    }

    private static func value(_ office: UniooState.BranchOffice) -> [String: any Sendable] {
        ["id": office.id, "name": office.name]
    }

    private static func value(_ account: UniooState.BankAccount) -> [String: any Sendable] {
        [
            "id": account.id, "registrationNumber": account.registrationNumber, "accountNumber": account.accountNumber,
            "isPrimary": account.isPrimary,
        ]
    }

    /// The invitation's scalar fields: what `where` and `order` read.
    private static func scalars(_ invitation: UniooState.Invitation) -> [String: any Sendable] {
        var value: [String: any Sendable] = [
            "id": invitation.id, "organizationName": invitation.organizationName, "isInvitationFlowStarted": invitation.isFlowStarted,
            "isSurrendered": false,
        ]
        value["vatNumber"] = invitation.vatNumber
        value["externalId"] = invitation.externalId
        value["chairmanFirstName"] = invitation.firstName
        value["chairmanLastName"] = invitation.lastName
        value["chairmanEmail"] = invitation.email
        value["chairmanCallingCode"] = invitation.callingCode
        value["chairmanPhoneNumber"] = invitation.phoneNumber
        value["invitationDate"] = invitation.invitationDate
        return value
    }

    private static func value(_ invitation: UniooState.Invitation, in state: UniooState) -> [String: any Sendable] {
        var value = scalars(invitation)
        value["invitationBankAccounts"] = invitation.bankAccounts.map {
            ["id": $0.id, "bankAccount": Self.value($0)] as [String: any Sendable]
        }
        value["isInvitationValid"] = invitation.missingInformation.isEmpty
        value["invalidReasons"] = invitation.missingInformation.map {
            ["reason": "Missing required information: \($0)"] as [String: any Sendable]
        }
        value["riskGroup"] = state.riskGroup(invitation.riskGroupID).map(Self.value)
        value["branchOffice"] = invitation.branchOfficeID.flatMap(state.branchOffice).map(Self.value)
        return value
    }

    private static func scalars(_ organization: UniooState.Organization) -> [String: any Sendable] {
        var value: [String: any Sendable] = [
            "id": organization.id, "name": organization.name, "creationDate": organization.creationDate, "isSurrendered": false,
        ]
        value["vatNumber"] = organization.vatNumber
        return value
    }

    private static func value(_ organization: UniooState.Organization, in state: UniooState) -> [String: any Sendable] {
        var relation: [String: any Sendable] = ["isAjour": false]
        relation["externalId"] = organization.externalId
        relation["riskGroup"] = state.riskGroup(organization.riskGroupID).map(Self.value)
        var value = scalars(organization)
        value["bankAccounts"] = organization.bankAccounts.map(Self.value)
        value["bankRelation"] = relation
        value["extendedInformation"] = [
            ["branchOffice": organization.branchOfficeID.flatMap(state.branchOffice).map(Self.value)] as [String: any Sendable]
        ]
        return value
    }
}
