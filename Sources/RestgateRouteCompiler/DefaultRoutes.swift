import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan

/// The route file built into the binary; `--routes FILE` replaces it. Each resource selects
/// every field of its type in the reference schema, nested references included.
public enum DefaultRoutes {
    public static let yaml = #"""
        fragments:
          RiskGroupFields: |
            fragment RiskGroupFields on RiskGroup { id name description externalId isAccountingRequired isStatutesRequired isSummaryRequired }
          BankAccountFields: |
            fragment BankAccountFields on BankAccount { id accountName registrationNumber accountNumber isPrimary }
          InvitationFields: |
            fragment InvitationFields on OrganizationInvitation {
              id organizationName vatNumber branchIdentifier externalId
              chairmanFirstName chairmanLastName chairmanEmail chairmanCallingCode chairmanPhoneNumber
              invitationBankAccounts { id bankAccount { ...BankAccountFields } }
              riskGroup { ...RiskGroupFields }
              branchOffice { id name }
              invitationDate isInvitationFlowStarted isInvitationValid invalidReasons { reason }
              surrenderedTime isSurrendered surrenderedReason
            }
          OrganizationFields: |
            fragment OrganizationFields on Organization {
              id name vatNumber branchIdentifier creationDate
              bankAccounts { ...BankAccountFields }
              bankRelation { isAjour ajourDate externalId riskGroup { ...RiskGroupFields } }
              extendedInformation { branchOffice { id name } }
              isSurrendered
            }
          ClientInvitationFields: |
            fragment ClientInvitationFields on ClientInvitation {
              id createdAt updatedAt firmID clientID householdID inviteeEmail inviteeGivenName inviteeFamilyName status acceptedAt
            }
          FirmClientFields: |
            fragment FirmClientFields on FirmClient {
              id createdAt updatedAt givenNamesDisplay familyNamesDisplay status mode
              household { id }
              individuals { givenName familyName emailAddress phoneNumber }
            }

        # Upstream GraphQL errors to problems, tried in order before the built-in mapping (auth
        # codes, schema mismatches, then 422 UPSTREAM_REJECTED). Add a rule when an upstream
        # words something new; `$1`… are the message pattern's captures.
        errors:
          - match: { message: "No more invitations left this (month)" }
            problem: INVITATION_QUOTA_EXCEEDED
            members: { quotaPeriod: "$1" }
            retryAfter: 604800
          - match: { message: "No more invitations left this (week)" }
            problem: INVITATION_QUOTA_EXCEEDED
            members: { quotaPeriod: "$1" }
            retryAfter: 86400
          - match: { message: "Missing required information: (.+)" }
            problem: INVITATION_INCOMPLETE
            field: "/$1"
          - match: { message: ".+ with id \\(.*\\) not found" }
            problem: NOT_FOUND
          - match: { code: NOT_FOUND }
            problem: NOT_FOUND

        routes:
          - id: createToken
            method: POST
            path: /auth/token
            upstream: unioo
            auth: none
            document: |
              mutation createToken($input: AuthenticateInput!) { authenticate(input: $input) { authenticationPayload { jwt } } }
            variables:
              input: { from: body }
            example: { clientId: sandbox-bank, secret: sandbox-secret }
            result: authenticate.authenticationPayload

          - id: listRiskGroups
            method: GET
            path: /risk-groups
            upstream: unioo
            document: |
              query listRiskGroups($first: Int, $after: String) {
                riskGroups(first: $first, after: $after) { totalCount nodes { ...RiskGroupFields } pageInfo { hasNextPage endCursor } }
              }
            result: riskGroups
            list: { totalCount: totalCount, pageSizeVariable: first, cursorVariable: after }

          - id: listBranchOffices
            method: GET
            path: /branch-offices
            upstream: unioo
            document: |
              query listBranchOffices($first: Int, $after: String) {
                branchOffices(first: $first, after: $after) { totalCount nodes { id name } pageInfo { hasNextPage endCursor } }
              }
            result: branchOffices
            list: { totalCount: totalCount, pageSizeVariable: first, cursorVariable: after }

          - id: createInvitation
            method: POST
            path: /invitations
            upstream: unioo
            document: |
              mutation createInvitation($input: CreateOrganizationInvitationInput!) {
                createOrganizationInvitation(input: $input) { organizationInvitation { ...InvitationFields } }
              }
            variables:
              input: { from: body }
            example:
              organizationName: Acme ApS
              vatNumber: DK12345678
              externalId: ERP-1001
              riskGroupId: 6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01
              contactPerson: { firstName: Mette, lastName: Hansen, email: mette@acme.example, callingCode: DK, phoneNumber: "20304050" }
              bankAccounts: [{ registrationNumber: "1234", accountNumber: "0012345678", isPrimary: true }]
            result: createOrganizationInvitation.organizationInvitation
            status: 201
            location: /invitations/{id}

          - id: listInvitations
            method: GET
            path: /invitations
            upstream: unioo
            document: |
              query listInvitations($first: Int, $after: String, $where: OrganizationInvitationFilterInput) {
                organizationInvitations(first: $first, after: $after, where: $where) {
                  totalCount nodes { ...InvitationFields } pageInfo { hasNextPage endCursor }
                }
              }
            variables:
              where:
                from: object
                fields:
                  vatNumber: { from: object, fields: { eq: { from: query, name: vatNumber } } }
                  organizationName: { from: object, fields: { eq: { from: query, name: organizationName } } }
            result: organizationInvitations
            list: { totalCount: totalCount, pageSizeVariable: first, cursorVariable: after }

          - id: getInvitation
            method: GET
            path: /invitations/{id}
            upstream: unioo
            document: |
              query getInvitation($id: UUID!) {
                organizationInvitations(where: { id: { eq: $id } }) { nodes { ...InvitationFields } }
              }
            variables:
              id: { from: path, name: id, format: uuid }
            result: organizationInvitations.nodes
            single: true

          - id: updateInvitation
            method: PATCH
            path: /invitations/{id}
            upstream: unioo
            document: |
              mutation updateInvitation($input: UpdateOrganizationInvitationInformationInput!) {
                updateOrganizationInvitationInformation(input: $input) { organizationInvitation { ...InvitationFields } }
              }
            variables:
              input: { from: body, merge: { invitationId: { from: path, name: id, format: uuid } } }
            example: { vatNumber: DK87654321, contactPerson: { email: mette.hansen@acme.example } }
            result: updateOrganizationInvitationInformation.organizationInvitation

          - id: setInvitationBranchOffice
            method: PUT
            path: /invitations/{id}/branch-office
            upstream: unioo
            document: |
              mutation setInvitationBranchOffice($input: UpdateOrganizationInvitationBranchOfficeRelationInput!) {
                updateOrganizationInvitationBranchOfficeRelation(input: $input) {
                  organizationInvitationPayload { organizationInvitation { ...InvitationFields } }
                }
              }
            variables:
              input:
                from: object
                fields:
                  input: { from: body, merge: { invitationId: { from: path, name: id, format: uuid } } }
            example: { branchOfficeId: 0b5e7d10-2c3a-4b8e-9f61-7a2d4c6e8b01 }
            result: updateOrganizationInvitationBranchOfficeRelation.organizationInvitationPayload.organizationInvitation

          - id: sendInvitation
            method: POST
            path: /invitations/{id}/send
            upstream: unioo
            document: |
              mutation sendInvitation($input: StartInvitationFlowInput!) {
                startInvitationFlow(input: $input) {
                  organizationInvitation { ...InvitationFields }
                  invitationsLeft { invitationsLeftThisMonth invitationsLeftThisWeek }
                }
              }
            variables:
              input: { from: object, fields: { invitationId: { from: path, name: id, format: uuid } } }
            result: startInvitationFlow

          - id: listOrganizations
            method: GET
            path: /organizations
            upstream: unioo
            document: |
              query listOrganizations($first: Int, $after: String, $where: OrganizationFilterInput) {
                organizations(first: $first, after: $after, where: $where) {
                  totalCount nodes { ...OrganizationFields } pageInfo { hasNextPage endCursor }
                }
              }
            variables:
              where:
                from: object
                fields:
                  vatNumber: { from: object, fields: { eq: { from: query, name: vatNumber } } }
                  name: { from: object, fields: { eq: { from: query, name: name } } }
            result: organizations
            list: { totalCount: totalCount, pageSizeVariable: first, cursorVariable: after }

          - id: getOrganization
            method: GET
            path: /organizations/{id}
            upstream: unioo
            document: |
              query getOrganization($id: UUID!) {
                organizations(where: { id: { eq: $id } }) { nodes { ...OrganizationFields } }
              }
            variables:
              id: { from: path, name: id, format: uuid }
            result: organizations.nodes
            single: true

          - id: createElementsToken
            method: POST
            path: /elements/auth/token
            upstream: elements
            auth: none
            document: |
              mutation createElementsToken($input: SignInInput!) {
                signIn(input: $input) { user { id } tokenSet { accessToken refreshToken } firms { items { id } pageInfo { hasNextPage endCursor } } }
              }
            variables:
              input: { from: body }
            example: { usernameOrEmail: advisor@sandbox.example, password: sandbox-password }
            result: signIn

          - id: listClientInvitations
            method: GET
            path: /elements/firms/{firmId}/client-invitations
            upstream: elements
            document: |
              query listClientInvitations($firmId: ID!, $cursor: String) {
                clientInvitationsForFirm(firmID: $firmId, cursor: $cursor) { items { ...ClientInvitationFields } pageInfo { hasNextPage endCursor } }
              }
            variables:
              firmId: { from: path, name: firmId }
            result: clientInvitationsForFirm
            list: { items: items, cursorVariable: cursor }

          - id: listFirmClients
            method: GET
            path: /elements/firms/{firmId}/clients
            upstream: elements
            document: |
              query listFirmClients($firmId: ID!, $cursor: String) {
                firmClientsForFirm(firmID: $firmId, cursor: $cursor) { items { ...FirmClientFields } pageInfo { hasNextPage endCursor } }
              }
            variables:
              firmId: { from: path, name: firmId }
            result: firmClientsForFirm
            list: { items: items, cursorVariable: cursor }
        """#
}
