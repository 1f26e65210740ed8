/// What `restgate_routes_info` reports: where the route table came from (`built-in` or the
/// file's path), the SHA-256 of its text, and how many routes it holds.
public struct RouteTableInfo: Sendable {
    public var source: String
    public var hash: String
    public var count: Int

    public init(source: String, hash: String, count: Int) {
        self.source = source
        self.hash = hash
        self.count = count
    }
}
