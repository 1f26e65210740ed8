import RestgateRoutePlan
import Yams

/// A route's `deprecated: { since: DATE, sunset: DATE, link: URL }`.
enum RouteDeprecationLoader {
    static func load(_ node: Node, route: String) throws(RouteFileError) -> RouteDeprecation {
        let line = node.mark?.line ?? 0
        func fail(_ message: String) -> RouteFileError { RouteFileError(line: line, route: route, message: "deprecated: \(message)") }
        guard let mapping = node.mapping else { throw fail("must be a mapping of since, sunset and link") }
        for (key, _) in mapping where !["since", "sunset", "link"].contains(key.string ?? "") {
            throw fail("unknown key '\(key.string ?? "?")' (since, sunset, link)")
        }
        func date(_ key: String) throws(RouteFileError) -> Int64? {
            guard let text = node[key]?.string else { return nil }
            guard let seconds = RouteDeprecation.seconds(text) else {
                throw fail("'\(key)' must be a date, 2026-06-30 or 2026-06-30T12:00:00Z; got '\(text)'")
            }
            return seconds
        }
        guard let since = try date("since") else { throw fail("'since' is required: the date the route was deprecated") }
        let sunset = try date("sunset")
        if let sunset, sunset < since { throw fail("'sunset' must not come before 'since'") }
        let link = node["link"]?.string
        if let link,
            !(link.hasPrefix("https://") || link.hasPrefix("http://") || link.hasPrefix("/"))
                || link.contains(where: { $0 == ">" || $0.isWhitespace })
        {
            throw fail("'link' must be a URL (https://… or a path)")
        }
        return RouteDeprecation(since: since, sunset: sunset, link: link)
    }
}
