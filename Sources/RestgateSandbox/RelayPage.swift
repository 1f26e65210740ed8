import GraphQL
import OrderedCollections
import RestgateHTTP
import RestgateJSON
import RestgateServer

/// Relay-style paging over an in-memory list: `first`/`after` forward, `last`/`before`
/// backward, never mixed, at most 100 a page. Cursors are opaque base64 (they contain `+`,
/// `/` and `=`, which the gateway must carry through untouched).
struct RelayPage {
    static let maxPageSize = 100
    static let defaultPageSize = 50

    let range: Range<Int>
    let total: Int

    init(arguments: Map, total: Int, kind: String) throws {
        let first = arguments["first"].int
        let last = arguments["last"].int
        let after = arguments["after"].string
        let before = arguments["before"].string
        if (first != nil || after != nil) && (last != nil || before != nil) {
            throw SandboxError("Paging forward (first/after) and backward (last/before) cannot be mixed.", code: "INVALID_PAGING_ARGUMENT")
        }
        for size in [first, last].compactMap({ $0 }) {
            guard size >= 0 else { throw SandboxError("The page size must not be negative.", code: "INVALID_PAGING_ARGUMENT") }
            guard size <= Self.maxPageSize else {
                throw SandboxError(
                    "The maximum allowed items per page were exceeded (\(Self.maxPageSize)).", code: "INVALID_PAGING_ARGUMENT")
            }
        }
        self.total = total
        // Offsets are clamped to the list: a stale or hand-made cursor pages past the end,
        // it never builds an invalid range or overflows.
        if last != nil || before != nil {
            let end = try before.map { min(try Self.offset(of: $0, kind: kind), total) } ?? total
            let size = last ?? Self.defaultPageSize
            range = max(0, end - size)..<end
        } else {
            let start = try after.map { min(try Self.offset(of: $0, kind: kind), total - 1) + 1 } ?? 0
            let size = first ?? Self.defaultPageSize
            range = min(start, total)..<min(start + size, total)
        }
    }

    static func cursor(_ offset: Int, kind: String) -> String {
        Base64.encode(Array("\(kind)|\(offset)|restgate-sandbox".utf8))
    }

    static func offset(of cursor: String, kind: String) throws -> Int {
        guard let bytes = Base64.decode(cursor) else { throw SandboxError("The cursor '\(cursor)' is not valid.", code: "INVALID_CURSOR") }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "|")
        guard parts.count == 3, parts[0] == kind, let offset = Int(parts[1]), offset >= 0 else {
            throw SandboxError("The cursor '\(cursor)' is not valid.", code: "INVALID_CURSOR")
        }
        return offset
    }

    /// The connection object for the items in `range` of `items`.
    func connection(_ items: [[String: any Sendable]], kind: String) -> [String: any Sendable] {
        connection(kind: kind) { items[$0] }
    }

    /// The connection object, asking `item` for the page's items alone: a list request costs
    /// one page of values, however many the store holds.
    func connection(kind: String, item: (Int) -> [String: any Sendable]) -> [String: any Sendable] {
        let slice = Array(range)
        let nodes = slice.map(item)
        var pageInfo: [String: any Sendable] = [
            "hasNextPage": range.upperBound < total,
            "hasPreviousPage": range.lowerBound > 0,
        ]
        if let first = slice.first { pageInfo["startCursor"] = Self.cursor(first, kind: kind) }
        if let last = slice.last { pageInfo["endCursor"] = Self.cursor(last, kind: kind) }
        let edges: [[String: any Sendable]] = zip(slice, nodes).map { ["node": $1, "cursor": Self.cursor($0, kind: kind)] }
        return ["totalCount": total, "nodes": nodes, "edges": edges, "pageInfo": pageInfo]
    }
}
