/// The project's copy of the Elements GraphQL contract (reads of a firm's client invitations
/// and clients, and sign-in). Kept in step with the reference in shared/upstreams.
public enum ElementsSchema {
    public static let sdl = """
        scalar Time

        type Query {
          clientInvitationsForFirm(firmID: ID!, cursor: String): ClientInvitationsPage
          firmClientsForFirm(firmID: ID!, cursor: String): FirmClientsPage
        }

        type Mutation {
          signIn(input: SignInInput!): SignInPayload
          refreshTokens(input: RefreshTokensInput!): RefreshTokensPayload
        }

        input SignInInput { usernameOrEmail: String! password: String! }
        input RefreshTokensInput { refreshToken: String! }
        type TokenSet { accessToken: String! refreshToken: String! }
        type SignInPayload { user: User tokenSet: TokenSet firms: FirmsPage }
        type RefreshTokensPayload { tokenSet: TokenSet }
        type User { id: ID! }
        type Firm { id: ID! }
        type FirmsPage { items: [Firm!]! pageInfo: PageInfo! }

        type PageInfo { hasNextPage: Boolean! endCursor: String }

        enum InvitationStatus { PENDING ACCEPTED }
        type ClientInvitation {
          id: ID!
          createdAt: Time!
          updatedAt: Time!
          firmID: ID!
          clientID: ID!
          householdID: ID!
          inviteeEmail: String!
          inviteeGivenName: String!
          inviteeFamilyName: String!
          status: InvitationStatus!
          acceptedAt: Time
        }
        type ClientInvitationsPage { items: [ClientInvitation!]! pageInfo: PageInfo! }

        enum FirmClientStatus { ACTIVE ARCHIVED }
        enum FirmClientMode { PROSPECT ONBOARDING_IN_PROGRESS ONBOARDING_COMPLETED }
        type FirmClient {
          id: ID!
          createdAt: Time!
          updatedAt: Time!
          givenNamesDisplay: String!
          familyNamesDisplay: String!
          status: FirmClientStatus!
          mode: FirmClientMode!
          household: Household!
          individuals: [FirmClientIndividual!]!
        }
        type FirmClientIndividual { givenName: String familyName: String emailAddress: String phoneNumber: String }
        type Household { id: ID! }
        type FirmClientsPage { items: [FirmClient!]! pageInfo: PageInfo! }
        """
}
