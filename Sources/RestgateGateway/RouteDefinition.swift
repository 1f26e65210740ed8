public import RestgateHTTP

/// Where a GraphQL variable's value comes from in a REST request.
public indirect enum VariableSource: Sendable, Equatable, Codable {
    /// A path template parameter, checked against `format`.
    case path(String, format: ValueFormat)
    /// A query-string parameter (absent means the variable is left out).
    case query(String, format: ValueFormat)
    /// A request header's value.
    case header(String)
    /// The JSON body as an object, with `merge` members added from other sources
    /// (`PATCH /invitations/{id}`: the body plus `invitationId` from the path).
    case body(merge: [String: VariableSource])
    /// An object built from other sources (`{invitationId: <path id>}`).
    case object([String: VariableSource])
}

/// How a path or query value is read and checked before any upstream call.
public enum ValueFormat: String, Sendable, Equatable, Codable {
    case string
    case uuid
    case int
}

/// A list route's paging: where the items, cursor and count are in the upstream's answer,
/// and which variables take the page size and the cursor.
public struct ListShape: Sendable, Equatable, Codable {
    public var items: [String]
    public var hasNextPage: [String]
    public var endCursor: [String]
    public var totalCount: [String]?
    /// The variable that takes `?limit=` (nil when the upstream has no page size).
    public var pageSizeVariable: String?
    /// The variable that takes `?cursor=`.
    public var cursorVariable: String
}

/// One REST route, as the route file declares it.
public struct RouteDefinition: Sendable, Codable {
    public enum Authentication: String, Sendable, Codable {
        case bearer
        case none
    }

    public var id: String
    public var method: HTTPMethod
    public var path: String
    public var upstream: String
    public var authentication: Authentication
    public var document: String
    public var isMutation = false
    public var variables: [String: VariableSource]
    /// The path under `data` whose value becomes the response body.
    public var result: [String]
    /// The result is a list of which the first element is the resource; none is a 404.
    public var single: Bool
    public var list: ListShape?
    public var status: Int
    /// A template filled from the resource (`/invitations/{id}`).
    public var location: String?
    /// An example request body, for the OpenAPI document (checked against the input type).
    public var example: JSONValue?
    /// Where it stands in the route file, for error messages.
    public var line: Int
    public var documentLine: Int
}
