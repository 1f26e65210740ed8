import RestgateRuntime
import Synchronization

/// The address of a peer named by host (an upstream, Redis, the OTLP collector), resolved
/// again in the background, never on a loop: every 30 s, and within a second of a failed
/// connect. A Kubernetes pod behind a headless Service, a managed Redis after a failover and an
/// API behind a cloud load balancer all change address while Restgate runs. A host that does
/// not resolve at start is no start-up error: connects fail (the upstream is unavailable,
/// `/readyz` says so) until it resolves. A failed resolution keeps the last good address.
package final class HostAddress: Sendable {
    package static let refreshInterval: Duration = .seconds(30)

    private struct State {
        var address: SocketAddress?
        var refreshWanted = false
    }

    package let host: String
    package let port: UInt16
    /// An IP literal never changes: it is not resolved again.
    private let isLiteral: Bool
    private let state: Mutex<State>
    private let resolve: Resolver

    package typealias Resolver = @Sendable (String, UInt16) throws(UpstreamError) -> SocketAddress

    /// `resolve` is getaddrinfo (`SocketAddress.resolve`) but in tests.
    package init(
        host: String, port: UInt16,
        resolve: @escaping Resolver = { host, port throws(UpstreamError) in try SocketAddress.resolve(host: host, port: port) }
    ) {
        self.host = host
        self.port = port
        self.resolve = resolve
        isLiteral = SocketAddress.isNumeric(host)
        // Why a name does not resolve shows where it is used: the failed call, `/readyz`.
        state = Mutex(State(address: try? resolve(host, port)))
        if !isLiteral { AddressRefresher.shared.watch(self) }
    }

    /// The address last resolved, if any.
    package var current: SocketAddress? { state.withLock { $0.address } }

    /// Starts a non-blocking connect to the current address; a failure asks for a new
    /// resolution, so a moved peer is found again within about a second.
    package func connect() throws(UpstreamError) -> (descriptor: Int32, connected: Bool) {
        guard let address = current else {
            askForRefresh()
            throw .unavailable("cannot resolve \(host)")
        }
        do {
            return try address.connect()
        } catch {
            askForRefresh()
            throw error
        }
    }

    /// Also called when an open connection to the peer fails to connect asynchronously.
    package func askForRefresh() {
        guard !isLiteral else { return }
        state.withLock { $0.refreshWanted = true }
    }

    /// On the refresher's thread: resolves when asked or when `due`.
    func refresh(due: Bool) {
        let wanted = state.withLock { state in
            defer { state.refreshWanted = false }
            return state.refreshWanted
        }
        guard wanted || due else { return }
        // A failed lookup keeps the last good address.
        guard let address = try? resolve(host, port) else { return }
        state.withLock { $0.address = address }
    }
}
