import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan

/// A route file that cannot be used: the start stops with this message, which names the
/// route, the route file's line and what is wrong.
public struct RouteFileError: Error, Sendable, CustomStringConvertible, Equatable {
    public let line: Int
    public let route: String?
    public let message: String

    public init(line: Int, route: String?, message: String) {
        self.line = line
        self.route = route
        self.message = message
    }

    public var description: String {
        "route file line \(line)\(route.map { ", route \($0)" } ?? ""): \(message)"
    }
}
