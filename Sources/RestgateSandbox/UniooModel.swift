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

/// The bank's invitation quota: a monthly and a weekly allowance, counted per calendar month
/// and ISO week.
struct Quota: Sendable {
    var perMonth: Int
    var perWeek: Int
    private var usedByMonth: [String: Int] = [:]
    private var usedByWeek: [String: Int] = [:]

    init(perMonth: Int, perWeek: Int) {
        self.perMonth = perMonth
        self.perWeek = perWeek
    }

    private static func keys(_ date: Date) -> (month: String, week: String) {
        let calendar = Calendar(identifier: .iso8601)
        let parts = calendar.dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return ("\(parts.year ?? 0)-\(parts.month ?? 0)", "\(parts.yearForWeekOfYear ?? 0)-W\(parts.weekOfYear ?? 0)")
    }

    func left(at date: Date) -> (month: Int, week: Int) {
        let (month, week) = Self.keys(date)
        return (max(0, perMonth - (usedByMonth[month] ?? 0)), max(0, perWeek - (usedByWeek[week] ?? 0)))
    }

    /// Spends one invitation, or throws the documented error for the allowance that is spent.
    mutating func spend(at date: Date) throws(SandboxError) {
        let left = left(at: date)
        if left.month == 0 { throw SandboxError("No more invitations left this month") }
        if left.week == 0 { throw SandboxError("No more invitations left this week") }
        let (month, week) = Self.keys(date)
        usedByMonth[month, default: 0] += 1
        usedByWeek[week, default: 0] += 1
    }
}

/// Dial codes for the ISO 3166-1 alpha-2 codes the sandbox knows; output is 00-prefixed.
enum CallingCodes {
    static let byCountry: [String: String] = [
        "DK": "0045", "NO": "0047", "SE": "0046", "FI": "00358", "IS": "00354", "DE": "0049", "NL": "0031", "GB": "0044",
        "FR": "0033", "ES": "0034", "PL": "0048", "US": "001",
    ]

    static func dialCode(for input: String) throws(SandboxError) -> String {
        guard input.count == 2, input.allSatisfy({ $0.isLetter && $0.isUppercase }) else {
            throw SandboxError("contactPerson.callingCode must be an ISO 3166-1 alpha-2 country code such as \"DK\"; got \"\(input)\".")
        }
        guard let code = byCountry[input] else {
            throw SandboxError("contactPerson.callingCode \"\(input)\" is not a country the bank supports.")
        }
        return code
    }
}

enum Timestamp {
    static func now() -> String {
        var formatter = Date.ISO8601FormatStyle()
        formatter.timeZone = TimeZone(identifier: "UTC")!
        return Date().formatted(formatter)
    }
}
