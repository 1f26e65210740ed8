import RestgateRoutePlan

/// One compiled route, held by reference so that a `RouteCall`, copied as it passes the
/// stages, retains one object instead of every string and table of the route's definition.
final class SharedRoute: Sendable {
    let route: CompiledRoute

    init(_ route: CompiledRoute) {
        self.route = route
    }
}
