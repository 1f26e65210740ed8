import RestgateHTTP
import RestgateJSON

/// A list route's paging: where the items, cursor and count are in the upstream's answer,
/// and which variables take the page size and the cursor.
public struct ListShape: Sendable, Equatable, Codable {
    public var items: [String]
    public var hasNextPage: [String]
    public var endCursor: [String]
    public var totalCount: [String]?

    package init(
        items: [String], hasNextPage: [String], endCursor: [String], totalCount: [String]?, pageSizeVariable: String?,
        cursorVariable: String
    ) {
        self.items = items
        self.hasNextPage = hasNextPage
        self.endCursor = endCursor
        self.totalCount = totalCount
        self.pageSizeVariable = pageSizeVariable
        self.cursorVariable = cursorVariable
    }
    /// The variable that takes `?limit=` (nil when the upstream has no page size).
    public var pageSizeVariable: String?
    /// The variable that takes `?cursor=`.
    public var cursorVariable: String
}
