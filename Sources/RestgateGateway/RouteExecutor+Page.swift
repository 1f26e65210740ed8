import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer

/// A list route's answer made from the upstream's bytes: the items array is copied as the
/// upstream wrote it (checked as strictly as a parse by `JSONParser.locate`), and only the
/// cursor is parsed, so a 100-item page costs a scan and a copy instead of a tree built and
/// written again. The body is the parsed path's, member for member: items, nextCursor,
/// totalCount.
extension RouteExecutor {
    /// Below the route's result: the items, hasNextPage, endCursor and (when the route has
    /// one) totalCount, in that order.
    static func pageMemberPaths(_ list: ListShape) -> [[JSONPathStep]] {
        let paths = [list.items, list.hasNextPage, list.endCursor] + (list.totalCount.map { [$0] } ?? [])
        return paths.map { $0.map(JSONPathStep.member) }
    }

    func page(_ page: [UInt8], members: [Range<Int>?], list: ListShape, request: HTTPRequest, query: QueryString) -> HTTPResponse {
        /// The member's bytes, nil when it is absent or null.
        func member(_ index: Int) -> ArraySlice<UInt8>? {
            guard index < members.count, let range = members[index], page[range.lowerBound] != UInt8(ascii: "n") else { return nil }
            return page[range]
        }
        let hasNext = member(1)?.elementsEqual("true".utf8) ?? false
        let cursor = hasNext ? member(2).flatMap { (try? JSONParser.parse(Array($0)))?.string } : nil
        var body: [UInt8] = []
        body.reserveCapacity(page.count + 64)
        body += #"{"items":"#.utf8
        body += member(0) ?? ArraySlice("[]".utf8)
        body += #","nextCursor":"#.utf8
        body += cursor.map { JSONValue.string($0).bytes } ?? Array("null".utf8)
        if list.totalCount != nil, let total = member(3) {
            body += #","totalCount":"#.utf8
            body += total
        }
        body += "}".utf8
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let cursor { headers.append(Self.nextLink(cursor: cursor, request: request, query: query)) }
        return HTTPResponse(status: definition.status, headers: headers, body: body)
    }

    /// `Link: <…?…&cursor=…>; rel="next"`: the request's own query with the next cursor.
    static func nextLink(cursor: String, request: HTTPRequest, query: QueryString) -> (name: String, value: String) {
        let others = query.parameters.filter { $0.name != "cursor" }.map {
            "\(QueryString.encode($0.name))=\(QueryString.encode($0.value))"
        }
        let target = request.path + "?" + (others + ["cursor=\(QueryString.encode(cursor))"]).joined(separator: "&")
        return ("Link", "<\(request.absoluteURL(target))>; rel=\"next\"")
    }
}
