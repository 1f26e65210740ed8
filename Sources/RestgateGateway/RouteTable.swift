import RestgateHTTP
import RestgateServer
import Synchronization

/// The router in use, swapped whole by a reload: each request takes the router of the moment
/// it arrives (one brief lock) and finishes on it, so no request mixes two tables.
final class RouteTable: HTTPResponder, Sendable {
    private let current: Mutex<Router>

    init(_ router: Router) {
        current = Mutex(router)
    }

    func swap(_ router: Router) {
        current.withLock { $0 = router }
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let router = current.withLock { $0 }
        return await router.respond(to: request)
    }
}
