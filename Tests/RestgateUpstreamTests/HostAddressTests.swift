import RestgateTestSupport
import Synchronization
import Testing

@testable import RestgateRuntime
@testable import RestgateServer
@testable import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// A peer named by host: resolved at start and again in the background, and a name that does
/// not resolve yet is a failing call, never a start-up error.
@Suite struct HostAddressTests {
    @Test func aHostThatDoesNotResolveIsAnUnavailableCallNotAStartUpError() async throws {
        let client = try UpstreamClient(name: "later", url: UpstreamURL("http://restgate-test-host.invalid:8080/graphql")!)
        let loop = try EventLoop.startDedicated(name: "host-address-test")
        let request = UpstreamRequest(path: "/graphql", headers: [], body: Array("{}".utf8), isIdempotent: true)
        let result = await Task(executorPreference: loop) { await client.send(request, on: loop) }.value
        guard case .failure(.unavailable(let reason)) = result else {
            Issue.record("expected unavailable, got \(result)")
            return
        }
        #expect(reason.contains("cannot resolve restgate-test-host.invalid"))
    }

    @Test func aNameIsResolvedAgainWhenAskedAndKeepsItsLastGoodAddress() throws {
        let address = HostAddress(host: "localhost", port: 80)
        let first = try #require(address.current)
        address.askForRefresh()
        address.refresh(due: false)
        #expect(address.current == first)
        // Not asked and not due: nothing is resolved.
        address.refresh(due: false)
        #expect(address.current == first)

        let missing = HostAddress(host: "restgate-test-host.invalid", port: 80)
        #expect(missing.current == nil)
        #expect(throws: UpstreamError.self) { try missing.connect() }
    }

    @Test func anAddressLiteralNeedsNoDNS() {
        #expect(SocketAddress.isNumeric("127.0.0.1"))
        #expect(SocketAddress.isNumeric("::1"))
        #expect(!SocketAddress.isNumeric("localhost"))
        #expect(HostAddress(host: "127.0.0.1", port: 1).current != nil)
    }

    @Test func aPeerThatMovedIsFoundAgainAfterAFailedConnect() throws {
        // The name first resolves to a port nobody listens on, then (the peer moved) to a
        // listening one: the refused connect asks for a refresh, and the next connect uses
        // the new address. A failing lookup afterwards keeps the good one.
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 4)
        defer { close(listener.descriptor) }
        let closed = try LoopbackPort.free()
        let port = Mutex<UInt16?>(closed)
        let address = HostAddress(host: "redis.test", port: 6379) { _, _ throws(UpstreamError) in
            guard let current = port.withLock({ $0 }) else { throw .unavailable("lookup failed") }
            return try SocketAddress.resolve(host: "127.0.0.1", port: current)
        }
        let refused = Result { () throws(UpstreamError) in try address.connect() }
        if case .success(let attempt) = refused {
            // A non-blocking connect to loopback may report its refusal later.
            close(attempt.descriptor)
            address.askForRefresh()
        }
        port.withLock { $0 = listener.port }
        address.refresh(due: false)
        let (descriptor, _) = try address.connect()
        close(descriptor)
        port.withLock { $0 = nil }
        address.refresh(due: true)
        #expect(address.current == (try SocketAddress.resolve(host: "127.0.0.1", port: listener.port)))
    }
}
