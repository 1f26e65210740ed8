import RestgateGateway
import RestgateSandbox
import RestgateTestSupport
import Synchronization
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateServer
@testable import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// `/readyz` follows the upstreams: 503 naming the one that is down and why, 200 again once
/// it answers, while `/healthz` stays 200.
@Suite struct ReadinessTests {
    /// Polls /readyz until `condition` holds (or five seconds pass) and returns the last answer.
    private func waitFor(_ server: TestServer, _ condition: (RawResponse) -> Bool) throws -> RawResponse {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let response = try server.request("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
            if condition(response) || ContinuousClock.now > deadline { return response }
            usleep(50000)
        }
    }

    @Test func readyzFollowsAnUpstreamGoingDownAndComingBack() throws {
        let port = try LoopbackPort.free()
        let changes = Mutex<[UpstreamMonitor.Status]>([])
        let monitor = try UpstreamMonitor(
            targets: [UpstreamMonitor.Target(name: "unioo", url: UpstreamURL("http://127.0.0.1:\(port)/unioo/graphql")!)],
            interval: .milliseconds(100), timeout: .milliseconds(500)
        ) { status in changes.withLock { $0.append(status) } }
        monitor.start()
        let lifecycle = ServerLifecycle()
        let gateway = try TestServer(responder: GatewayResponder(lifecycle: lifecycle, upstreams: monitor), lifecycle: lifecycle)
        defer { gateway.stop() }

        // Before the first probe it is 503 "not checked yet": wait for the probe's verdict.
        let down = try waitFor(gateway) { $0.text.contains("connection refused") }
        #expect(down.status == 503)
        #expect(down.header("retry-after") == "5")
        #expect(down.text.contains(#""detail":"Upstream not reachable: unioo.""#))
        #expect(down.text.contains(#""code":"UPSTREAM_UNREACHABLE""#))
        #expect(down.text.contains(#""message":"unioo: connection refused""#))
        // Nothing of the upstream's address reaches whoever asks.
        #expect(!down.text.contains("127.0.0.1") && !down.text.contains(String(port)) && !down.text.contains("errno"))
        #expect(try gateway.request("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)

        let upstream = try TestServer(responder: try Sandbox()) { $0.port = port }
        defer { upstream.stop() }
        let up = try waitFor(gateway) { $0.status == 200 }
        #expect(up.status == 200)
        #expect(
            up.text
                == #"{"status":"ready","upstreams":{"unioo":{"reachable":true,"sandbox":false}}}"#
        )

        upstream.stop()
        #expect(try waitFor(gateway) { $0.status == 503 }.status == 503)
        // The log hears every change, with the detail /readyz leaves out.
        let heard = changes.withLock { $0 }
        #expect(heard.map(\.isReachable) == [false, true, false])
        #expect(heard.first?.failureKind == "connection refused")
        #expect(heard.first?.lastError?.contains("127.0.0.1:\(port)") == true)
    }
}

/// The readiness probes run every interval of the monitor's clock: with a manual clock,
/// a round starts exactly when the clock passes the interval, and never before.
@Suite struct ReadinessIntervalTests {
    @Test func probesRunOncePerIntervalOfTheClock() throws {
        let clock = ManualClock()
        let port = try LoopbackPort.free()
        let monitor = try UpstreamMonitor(
            targets: [UpstreamMonitor.Target(name: "unioo", url: UpstreamURL("http://127.0.0.1:\(port)/unioo/graphql")!)],
            interval: .seconds(5), timeout: .seconds(5), clock: clock)
        monitor.start()
        try waitUntil { monitor.statuses.first?.isReachable == false }
        #expect(monitor.rounds == 1)
        let upstream = try TestServer(responder: try Sandbox()) { $0.port = port }
        defer { upstream.stop() }
        clock.advance(by: .milliseconds(4999))
        #expect(monitor.statuses.first?.isReachable == false)
        clock.advance(by: .milliseconds(1))
        try waitUntil { monitor.statuses.first?.isReachable == true }
        #expect(monitor.rounds == 2)
    }

    private func waitUntil(_ condition: () -> Bool) throws {
        for _ in 0..<5000 where !condition() { usleep(1000) }
        guard condition() else { throw TestFailure("condition not met within 5 s") }
    }
}
