import RestgateTestSupport
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer
@testable import RestgateUpstream

/// TLS against a real TLS server (nginx) with a certificate made for the test.
@Suite(.serialized) struct UpstreamTLSTests {
    private let loop: EventLoop

    init() throws {
        loop = try EventLoop.startDedicated(name: "tls-test")
    }

    private func call(_ client: UpstreamClient) async -> Result<UpstreamResponse, UpstreamError> {
        let loop = self.loop
        let request = UpstreamRequest(
            path: client.url.path, headers: [("Content-Type", "application/json")], body: Array("{}".utf8), isIdempotent: true)
        return await Task(executorPreference: loop) { await client.send(request, on: loop) }.value
    }

    @Test func httpsUpstreamTrustedThroughTheConfiguredCAAnswersAndResumesSessions() async throws {
        let server = try TLSTestServer()
        var configuration = UpstreamConfiguration()
        // Every call finds its pooled connection expired, so each one makes a new handshake.
        configuration.idleTimeout = .nanoseconds(1)
        let client = try UpstreamClient(
            name: "tls", url: UpstreamURL("https://localhost:\(server.port)/graphql")!, configuration: configuration,
            tls: TLSConfiguration(caFile: server.caFile))
        for _ in 0..<3 {
            let response = try await call(client).get()
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"tls":true}"#)
        }
        #expect(client.statistics.connectionsOpened == 3)
        #expect(client.statistics.tlsResumptions >= 1)
    }

    @Test func certificateForAnotherHostNameIsRefused() async throws {
        let server = try TLSTestServer(names: ["DNS:localhost"])
        let client = try UpstreamClient(
            name: "tls", url: UpstreamURL("https://127.0.0.1:\(server.port)/graphql")!, tls: TLSConfiguration(caFile: server.caFile))
        let result = await call(client)
        guard case .failure(.tls(let detail)) = result else {
            Issue.record("expected a TLS failure, got \(result)")
            return
        }
        #expect(detail.contains("mismatch"))
    }

    @Test func certificateFromAnUntrustedCAIsRefused() async throws {
        let server = try TLSTestServer()
        let client = try UpstreamClient(name: "tls", url: UpstreamURL("https://localhost:\(server.port)/graphql")!)
        let result = await call(client)
        guard case .failure(.tls(let detail)) = result else {
            Issue.record("expected a TLS failure, got \(result)")
            return
        }
        #expect(detail.contains("local issuer") || detail.contains("self-signed") || detail.contains("self signed"))
        // OpenSSL's per-thread error queue must not carry that failure into the next call on
        // the same loop.
        let trusting = try UpstreamClient(
            name: "tls", url: UpstreamURL("https://localhost:\(server.port)/graphql")!, tls: TLSConfiguration(caFile: server.caFile))
        #expect(try await call(trusting).get().status == 200)
    }

    @Test func missingCAFileIsAConfigurationError() {
        #expect(throws: UpstreamError.self) {
            try UpstreamClient(name: "tls", url: UpstreamURL("https://localhost:1/")!, tls: TLSConfiguration(caFile: "/nonexistent/ca.pem"))
        }
    }
}
