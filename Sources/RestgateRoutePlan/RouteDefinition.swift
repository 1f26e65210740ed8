public import RestgateHTTP
public import RestgateJSON

/// One REST route, as the route file declares it.
public struct RouteDefinition: Sendable, Codable {
    public enum Authentication: String, Sendable, Codable {
        case bearer
        case none
    }

    /// Whether the route takes an `Idempotency-Key` (a header on a mutation route).
    public enum Idempotency: String, Sendable, Codable {
        case off
        case optional
        case required
    }

    package init(
        id: String, method: HTTPMethod, path: String, upstream: String, authentication: Authentication, document: String,
        isMutation: Bool = false, variables: [String: VariableSource], result: [String], single: Bool, list: ListShape?, status: Int,
        location: String?, example: JSONValue?, line: Int, documentLine: Int
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.upstream = upstream
        self.authentication = authentication
        self.document = document
        self.isMutation = isMutation
        self.variables = variables
        self.result = result
        self.single = single
        self.list = list
        self.status = status
        self.location = location
        self.example = example
        self.line = line
        self.documentLine = documentLine
    }
    public var id: String
    public var method: HTTPMethod
    public var path: String
    public var upstream: String
    public var authentication: Authentication
    public var idempotency: Idempotency = .off
    /// The route file's rate limit for this route, if it names one (`rateLimit:`).
    public var rateLimit: RateLimitPolicy?
    /// `Cache-Control` of its 200 answers to GET (`cacheControl:`); nil: `private, no-cache`.
    public var cacheControl: String?
    /// When and how the route is being retired (`deprecated:`).
    public var deprecation: RouteDeprecation?
    public var document: String
    public var isMutation = false
    /// The operation's name in the document, for metrics and traces; set by the validator.
    public var operationName: String?
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
    /// Lines of the document as the route wrote it, before the fragments it spreads were
    /// appended: a problem past them is in a fragment.
    public var ownDocumentLines: Int?
}
