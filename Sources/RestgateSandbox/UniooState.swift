import Foundation
import RestgateHTTP
import RestgateJSON
import RestgateServer

/// The sandbox bank's data, all in memory.
struct UniooState: Sendable {
    struct RiskGroup: Sendable {
        var id: String
        var name: String
        var description: String
        var externalId: String
        var isAccountingRequired: Bool
        var isStatutesRequired: Bool
        var isSummaryRequired: Bool
    }

    struct BranchOffice: Sendable {
        var id: String
        var name: String
    }

    struct BankAccount: Sendable {
        var id: String
        var registrationNumber: String
        var accountNumber: String
        var isPrimary: Bool
    }

    struct Invitation: Sendable {
        var id: String
        var organizationName: String
        var vatNumber: String?
        var externalId: String?
        var firstName: String?
        var lastName: String?
        var email: String?
        var callingCode: String?
        var phoneNumber: String?
        var bankAccounts: [BankAccount]
        var riskGroupID: String
        var branchOfficeID: String?
        var invitationDate: String?
        var isFlowStarted = false

        /// What must be filled in before the invitation can be sent.
        var missingInformation: [String] {
            var missing: [String] = []
            if vatNumber?.isEmpty ?? true { missing.append("vatNumber") }
            if firstName?.isEmpty ?? true { missing.append("contactPerson.firstName") }
            if lastName?.isEmpty ?? true { missing.append("contactPerson.lastName") }
            if email?.isEmpty ?? true { missing.append("contactPerson.email") }
            return missing
        }
    }

    struct Organization: Sendable {
        var id: String
        var name: String
        var vatNumber: String?
        var creationDate: String
        var bankAccounts: [BankAccount]
        var externalId: String?
        var riskGroupID: String
        var branchOfficeID: String?
    }

    var riskGroups: [RiskGroup]
    var branchOffices: [BranchOffice]
    /// At most this many invitations: the sandbox serves the public demo credentials.
    let maxInvitations: Int
    var invitations: [Invitation] = []
    var organizations: [Organization] = []
    var quota: Quota

    init(quota: Quota, maxInvitations: Int) {
        self.quota = quota
        self.maxInvitations = maxInvitations
        riskGroups = [
            RiskGroup(
                id: "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01", name: "Low risk", description: "Established companies with audited accounts",
                externalId: "RG-LOW", isAccountingRequired: true, isStatutesRequired: false, isSummaryRequired: false),
            RiskGroup(
                id: "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a02", name: "Medium risk", description: "Young companies and sole traders",
                externalId: "RG-MED", isAccountingRequired: true, isStatutesRequired: true, isSummaryRequired: false),
            RiskGroup(
                id: "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a03", name: "High risk", description: "Cash-intensive or cross-border businesses",
                externalId: "RG-HIGH", isAccountingRequired: true, isStatutesRequired: true, isSummaryRequired: true),
        ]
        branchOffices = [
            BranchOffice(id: "0b5e7d10-2c3a-4b8e-9f61-7a2d4c6e8b01", name: "Copenhagen City"),
            BranchOffice(id: "0b5e7d10-2c3a-4b8e-9f61-7a2d4c6e8b02", name: "Aarhus"),
            BranchOffice(id: "0b5e7d10-2c3a-4b8e-9f61-7a2d4c6e8b03", name: "Odense"),
        ]
    }

    func riskGroup(_ id: String) -> RiskGroup? { riskGroups.first { $0.id == id } }
    func branchOffice(_ id: String) -> BranchOffice? { branchOffices.first { $0.id == id } }
}
