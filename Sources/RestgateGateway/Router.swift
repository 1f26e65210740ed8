public import RestgateHTTP
public import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
public import RestgateServer
import RestgateUpstream

/// What a route runs: it answers, or throws the problem to answer with.
public typealias RouteHandler = @Sendable (HTTPRequest, PathParameters) async throws(Problem) -> HTTPResponse

/// Matches method and path to a handler, and answers what no route covers: 404 for an
/// unknown path, 405 with `Allow` for a known path and another method, `OPTIONS` with
/// `Allow`, and `HEAD` as `GET` (the server drops the body).
public struct Router: HTTPResponder {
    private struct Route: Sendable {
        var method: HTTPMethod
        var template: [Segment]
        /// As written, for metrics and traces (`http.route`).
        var path: String
        var handler: RouteHandler
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private var routes: [Route] = []

    public init() {}

    public mutating func add(_ method: HTTPMethod, _ template: String, _ handler: @escaping RouteHandler) {
        let segments = Self.segments(of: template).map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        routes.append(Route(method: method, template: segments, path: template, handler: handler))
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        do throws(Problem) {
            return try await route(request)
        } catch {
            return error.response(requestID: request.requestID, instance: request.path)
        }
    }

    private func route(_ request: HTTPRequest) async throws(Problem) -> HTTPResponse {
        if request.head.target == "*" {
            return HTTPResponse(status: 204, headers: [("Allow", Self.allowHeader(Set(routes.map(\.method))))])
        }
        let pathSegments = Self.segments(of: request.path)
        // The first route of the method that the path fits; only a request that finds none
        // pays for the set of methods its path does take.
        for route in routes where route.method == request.method || (request.method == .head && route.method == .get) {
            guard let parameters = Self.match(route.template, pathSegments) else { continue }
            var response: HTTPResponse
            do throws(Problem) {
                response = try await route.handler(request, parameters)
            } catch {
                response = error.response(requestID: request.requestID, instance: request.path)
            }
            response.notes.route = route.path
            return response
        }
        let allowed = Set(routes.filter { Self.match($0.template, pathSegments) != nil }.map(\.method))
        guard !allowed.isEmpty else {
            throw Problem(.routeNotFound, detail: "No route matches \(request.method) \(request.path).")
        }
        let allow = Self.allowHeader(allowed)
        if request.method == .options {
            return HTTPResponse(status: 204, headers: [("Allow", allow)])
        }
        throw Problem(
            .methodNotAllowed, detail: "\(request.path) does not support \(request.method); it supports \(allow).",
            headers: [("Allow", allow)])
    }

    private static func allowHeader(_ methods: Set<HTTPMethod>) -> String {
        var all = methods
        if all.contains(.get) { all.insert(.head) }
        all.insert(.options)
        return all.map(\.rawValue).sorted().joined(separator: ", ")
    }

    private static func segments(of path: String) -> [Substring] {
        // On the UTF-8 view: splitting by Character walks grapheme breaks over every byte; a
        // plain loop with room for a usual path, where the generic split grew two arrays.
        let utf8 = path.utf8
        var segments: [Substring] = []
        segments.reserveCapacity(6)
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                if start != index { segments.append(path[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != utf8.endIndex { segments.append(path[start..<utf8.endIndex]) }
        return segments
    }

    private static func match(_ template: [Segment], _ path: [Substring]) -> PathParameters? {
        guard template.count == path.count else { return nil }
        var parameters = PathParameters()
        for (segment, part) in zip(template, path) {
            switch segment {
            case .literal(let literal): guard literal == part else { return nil }
            case .parameter(let name): parameters.values[name] = String(part)
            }
        }
        return parameters
    }
}
