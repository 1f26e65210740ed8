/// What the OpenAPI document says about the API as a whole: the route file's `info:`.
public struct APIInfo: Sendable, Codable, Equatable {
    public var title: String
    public var version: String
    public var description: String

    public init(title: String, version: String, description: String) {
        self.title = title
        self.version = version
        self.description = description
    }

    /// For a route file without `info:`.
    public static let generic = APIInfo(
        title: "Restgate", version: "1.0.0", description: "REST routes over GraphQL upstreams. Every error is an RFC 9457 problem.")
}
