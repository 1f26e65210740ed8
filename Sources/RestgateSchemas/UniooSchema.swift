/// The project's copy of Unioo's GraphQL contract: what the sandbox serves and, later, what
/// route documents are validated against. Kept in step with the reference in shared/upstreams.
public enum UniooSchema {
    public static let sdl = """
        scalar UUID
        scalar DateTime

        type Query {
          bank: Bank
          riskGroups(first: Int, after: String, last: Int, before: String): RiskGroupsConnection
          branchOffices(first: Int, after: String, last: Int, before: String, where: BranchOfficeFilterInput, order: [BranchOfficeSortInput!]): BranchOfficesConnection
          organizationInvitations(first: Int, after: String, last: Int, before: String, where: OrganizationInvitationFilterInput, order: [OrganizationInvitationSortInput!]): OrganizationInvitationsConnection
          organizations(first: Int, after: String, last: Int, before: String, where: OrganizationFilterInput, order: [OrganizationSortInput!]): OrganizationsConnection
        }

        type Mutation {
          authenticate(input: AuthenticateInput!): AuthenticatePayload
          createOrganizationInvitation(input: CreateOrganizationInvitationInput!): CreateOrganizationInvitationPayload
          updateOrganizationInvitationInformation(input: UpdateOrganizationInvitationInformationInput!): UpdateOrganizationInvitationInformationPayload
          updateOrganizationInvitationBranchOfficeRelation(input: UpdateOrganizationInvitationBranchOfficeRelationInput!): UpdateOrganizationInvitationBranchOfficeRelationPayload
          startInvitationFlow(input: StartInvitationFlowInput!): StartInvitationFlowPayload
        }

        input AuthenticateInput { clientId: String! secret: String! }
        type AuthenticatePayload { authenticationPayload: AuthenticationPayload }
        type AuthenticationPayload { jwt: String! }
        type Bank { id: UUID! name: String }

        type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
        enum SortEnumType { ASC DESC }
        input StringOperationFilterInput { eq: String neq: String contains: String in: [String] }
        input UuidOperationFilterInput { eq: UUID neq: UUID in: [UUID] }
        input BooleanOperationFilterInput { eq: Boolean neq: Boolean }

        type RiskGroup {
          id: UUID!
          name: String
          description: String
          externalId: String
          isAccountingRequired: Boolean
          isStatutesRequired: Boolean
          isSummaryRequired: Boolean
        }
        type RiskGroupsConnection { totalCount: Int! nodes: [RiskGroup!] edges: [RiskGroupsEdge!] pageInfo: PageInfo! }
        type RiskGroupsEdge { node: RiskGroup! cursor: String! }
        type BranchOffice { id: UUID! name: String }
        type BranchOfficesConnection { totalCount: Int! nodes: [BranchOffice!] edges: [BranchOfficesEdge!] pageInfo: PageInfo! }
        type BranchOfficesEdge { node: BranchOffice! cursor: String! }
        input BranchOfficeFilterInput { id: UuidOperationFilterInput }
        input BranchOfficeSortInput { id: SortEnumType name: SortEnumType }

        type OrganizationInvitation {
          id: UUID!
          organizationName: String
          vatNumber: String
          branchIdentifier: String
          externalId: String
          chairmanFirstName: String
          chairmanLastName: String
          chairmanEmail: String
          chairmanCallingCode: String
          chairmanPhoneNumber: String
          invitationBankAccounts: [InvitationBankAccount!]
          riskGroup: RiskGroup
          branchOffice: BranchOffice
          invitationDate: DateTime
          isInvitationFlowStarted: Boolean
          isInvitationValid: Boolean
          invalidReasons: [InvalidReason!]
          surrenderedTime: DateTime
          isSurrendered: Boolean
          surrenderedReason: String
        }
        type InvalidReason { reason: String }
        type InvitationBankAccount { id: UUID! bankAccount: BankAccount }
        type BankAccount { id: UUID accountName: String registrationNumber: String accountNumber: String isPrimary: Boolean }
        type OrganizationInvitationsConnection { totalCount: Int! nodes: [OrganizationInvitation!] edges: [OrganizationInvitationsEdge!] pageInfo: PageInfo! }
        type OrganizationInvitationsEdge { node: OrganizationInvitation! cursor: String! }
        input OrganizationInvitationFilterInput {
          and: [OrganizationInvitationFilterInput!]
          or: [OrganizationInvitationFilterInput!]
          id: UuidOperationFilterInput
          organizationName: StringOperationFilterInput
          vatNumber: StringOperationFilterInput
          isSurrendered: BooleanOperationFilterInput
        }
        input OrganizationInvitationSortInput { vatNumber: SortEnumType invitationDate: SortEnumType surrenderedTime: SortEnumType }

        input ContactPersonInput { firstName: String lastName: String email: String callingCode: String phoneNumber: String }
        input InvitationBankAccountInput { registrationNumber: String! accountNumber: String! isPrimary: Boolean }
        input CreateOrganizationInvitationInput {
          organizationName: String!
          vatNumber: String
          externalId: String
          riskGroupId: UUID!
          branchOfficeId: UUID
          contactPerson: ContactPersonInput
          bankAccounts: [InvitationBankAccountInput!]
        }
        type CreateOrganizationInvitationPayload { organizationInvitation: OrganizationInvitation }
        input UpdateOrganizationInvitationInformationInput {
          invitationId: UUID!
          organizationName: String
          vatNumber: String
          externalId: String
          contactPerson: ContactPersonInput
        }
        type UpdateOrganizationInvitationInformationPayload { organizationInvitation: OrganizationInvitation }
        input UpdateOrganizationInvitationBranchOfficeInput { invitationId: UUID! branchOfficeId: UUID }
        input UpdateOrganizationInvitationBranchOfficeRelationInput { input: UpdateOrganizationInvitationBranchOfficeInput! }
        type UpdateOrganizationInvitationBranchOfficeRelationPayload { organizationInvitationPayload: OrganizationInvitationPayload }
        type OrganizationInvitationPayload { organizationInvitation: OrganizationInvitation }
        input StartInvitationFlowInput { invitationId: UUID! }
        type StartInvitationFlowPayload { organizationInvitation: OrganizationInvitation invitationsLeft: InvitationsLeft }
        type InvitationsLeft { invitationsLeftThisMonth: Int invitationsLeftThisWeek: Int }

        type Organization {
          id: UUID!
          name: String
          vatNumber: String
          branchIdentifier: String
          creationDate: DateTime
          bankAccounts: [BankAccount!]!
          bankRelation: BankRelation
          extendedInformation: [ExtendedInformation]
          isSurrendered: Boolean
        }
        type BankRelation { isAjour: Boolean ajourDate: DateTime externalId: String riskGroup: RiskGroup }
        type ExtendedInformation { branchOffice: BranchOffice }
        type OrganizationsConnection { totalCount: Int! nodes: [Organization!] edges: [OrganizationsEdge!] pageInfo: PageInfo! }
        type OrganizationsEdge { node: Organization! cursor: String! }
        input OrganizationFilterInput {
          and: [OrganizationFilterInput!]
          or: [OrganizationFilterInput!]
          id: UuidOperationFilterInput
          name: StringOperationFilterInput
          vatNumber: StringOperationFilterInput
          branchIdentifier: StringOperationFilterInput
          isSurrendered: BooleanOperationFilterInput
        }
        input OrganizationSortInput { name: SortEnumType vatNumber: SortEnumType surrenderedTime: SortEnumType }
        """
}
