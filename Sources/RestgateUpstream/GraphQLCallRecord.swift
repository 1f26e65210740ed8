public import RestgateHTTP

/// One GraphQL call as its observers see it, for metrics and for the CLIENT span.
public struct GraphQLCallRecord: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        case ok
        case graphqlError = "graphql_error"
        case timeout
        case unavailable
        case badResponse = "bad_response"
    }

    public var upstream: String
    /// The operation's name in the document, or `anonymous`.
    public var operationName: String
    public var isMutation: Bool
    public var outcome: Outcome
    /// The upstream's HTTP status, when it answered.
    public var status: Int?
    /// Each GraphQL error's `extensions.code`, `none` for an error without one.
    public var errorCodes: [String]
    /// Wall-clock start, nanoseconds since the Unix epoch, and how long the call took.
    public var startedUnixNanoseconds: UInt64
    public var duration: Duration
    public var serverAddress: String
    public var serverPort: Int
    /// The request's trace, whose `client` span this call is.
    public var trace: RequestTrace?
}
