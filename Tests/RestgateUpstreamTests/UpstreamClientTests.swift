import RestgateTestSupport
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer
@testable import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// The upstream client against real servers on loopback: our own HTTP server, and a scripted
/// raw one for the shapes ours never sends.
@Suite struct UpstreamClientTests {
    private let loop: EventLoop

    init() throws {
        loop = try EventLoop.startDedicated(name: "upstream-test")
    }

    private func client(port: UInt16, configure: (inout UpstreamConfiguration) -> Void = { _ in }) throws -> UpstreamClient {
        var configuration = UpstreamConfiguration()
        configure(&configuration)
        return try UpstreamClient(name: "test", url: UpstreamURL("http://127.0.0.1:\(port)/graphql")!, configuration: configuration)
    }

    /// Sends from a task on the client's loop, as a request handler would.
    private func send(_ client: UpstreamClient, _ request: UpstreamRequest) async -> Result<UpstreamResponse, UpstreamError> {
        let loop = self.loop
        return await Task(executorPreference: loop) { await client.send(request, on: loop) }.value
    }

    private func post(_ body: String = "{}", headers: [(name: String, value: String)] = [], idempotent: Bool = true) -> UpstreamRequest {
        UpstreamRequest(
            path: "/graphql", headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8), isIdempotent: idempotent)
    }

    @Test func pooledConnectionIsReusedForSequentialCalls() async throws {
        let upstream = try TestServer(responder: EchoResponder()) { $0.threads = 1 }
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        for index in 0..<5 {
            let response = try await send(client, post(#"{"n":\#(index)}"#)).get()
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self).contains(#""body":"{\"n\":\#(index)}""#))
        }
        #expect(upstream.server.statistics.acceptedConnections == 1)
        #expect(client.statistics.connectionsOpened == 1)
    }

    @Test func concurrentCallsOpenUpToTheLimitAndQueueTheRest() async throws {
        let upstream = try TestServer(responder: EchoResponder())
        defer { upstream.stop() }
        let client = try client(port: upstream.port) { $0.maxConnectionsPerLoop = 3 }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 {
                group.addTask { try await send(client, post(headers: [("X-Delay-Ms", "30")])).get().status }
            }
            for try await status in group { #expect(status == 200) }
        }
        #expect(upstream.server.statistics.acceptedConnections == 3)
    }

    @Test func gzipAnswerIsInflated() async throws {
        let upstream = try TestServer(responder: EchoResponder(), compressed: true)
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        let response = try await send(client, post(headers: [("X-Body-Size", "5000")])).get()
        #expect(response.header("content-encoding") == "gzip")
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.hasPrefix(#"{"method":"POST""#))
        #expect(text.contains(String(repeating: "restgate ", count: 500)))
    }

    @Test func chunkedAnswerIsDecodedAndTheConnectionKept() async throws {
        let upstream = try ScriptedUpstream { _, _ in
            .reply(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"a\":1}\r\n0\r\n\r\n".utf8), close: false)
        }
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        for _ in 0..<3 {
            let response = try await send(client, post()).get()
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"a":1}"#)
        }
        #expect(upstream.acceptedConnections == 1)
    }

    @Test func requestCarriesHostLengthAcceptEncodingAndHeadersExactly() async throws {
        let upstream = try ScriptedUpstream { _, _ in
            .reply(ScriptedUpstream.reply(headers: ["Content-Length: 2"], body: "{}"), close: false)
        }
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        _ = try await send(client, post(#"{"q":1}"#, headers: [("Authorization", "Bearer a.b.c")])).get()
        #expect(
            upstream.requests == [
                "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:\(upstream.port)\r\nContent-Length: 7\r\nAccept-Encoding: gzip\r\n"
                    + "Content-Type: application/json\r\nAuthorization: Bearer a.b.c\r\n\r\n{\"q\":1}"
            ])
    }

    @Test func connectionClosedByTheUpstreamWhileIdleIsReplaced() async throws {
        let upstream = try ScriptedUpstream { _, _ in
            .reply(ScriptedUpstream.reply(headers: ["Content-Length: 2"], body: "{}"), close: true)
        }
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        _ = try await send(client, post()).get()
        try await Task.sleep(for: .milliseconds(50))
        let second = try await send(client, post(idempotent: false)).get()
        #expect(second.status == 200)
        #expect(upstream.acceptedConnections == 2)
        #expect(upstream.requests.count == 2)
    }

    @Test func idempotentCallIsRetriedOnceWhenAReusedConnectionDiesButAMutationIsNot() async throws {
        // The second request on each connection is read and then dropped unanswered: the
        // keep-alive race as the client sees it.
        let script: ScriptedUpstream.Script = { _, index in
            index == 0 ? .reply(ScriptedUpstream.reply(headers: ["Content-Length: 2"], body: "{}"), close: false) : .closeWithoutAnswer
        }
        let upstream = try ScriptedUpstream(script: script)
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        _ = try await send(client, post()).get()
        let query = try await send(client, post(idempotent: true)).get()
        #expect(query.status == 200)
        #expect(client.statistics.retries == 1)

        let mutation = await send(client, post(idempotent: false))
        #expect(mutation.failure == .connectionReset("closed before a whole answer"))
        #expect(client.statistics.retries == 1)
        #expect(upstream.requests.count == 4)
    }

    @Test func http10AnswerWithoutKeepAliveIsNotPooled() async throws {
        let upstream = try ScriptedUpstream { _, _ in .reply(Array("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}".utf8), close: false) }
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        for _ in 0..<2 { #expect(try await send(client, post(idempotent: false)).get().status == 200) }
        #expect(upstream.acceptedConnections == 2)
    }

    @Test func connectionRefusedIsTyped() async throws {
        let port = try LoopbackPort.free()
        let client = try client(port: port)
        let result = await send(client, post())
        guard case .connectionRefused = result.failure else {
            Issue.record("expected connectionRefused, got \(result)")
            return
        }
    }

    /// Starts `request` on a loop that runs on `clock` and returns once the call is under way
    /// (a task queued after it on the same loop has run), so its deadlines are armed.
    private func startOnManualLoop(_ client: UpstreamClient, _ request: UpstreamRequest, clock: ManualClock) async throws -> Task<
        Result<UpstreamResponse, UpstreamError>, Never
    > {
        let manual = try EventLoop.startDedicated(name: "upstream-manual", clock: clock)
        let call = Task(executorPreference: manual) { await client.send(request, on: manual) }
        await Task(executorPreference: manual) {}.value
        return call
    }

    @Test func requestDeadlineIsEnforced() async throws {
        let upstream = try ScriptedUpstream { _, _ in .hang }
        defer { upstream.stop() }
        let clock = ManualClock()
        let client = try client(port: upstream.port) { $0.requestTimeout = .seconds(30) }
        let call = try await startOnManualLoop(client, post(), clock: clock)
        clock.advance(by: .seconds(30))
        #expect(await call.value.failure == .timeout)
    }

    @Test func connectTimeoutIsEnforcedWhenTheUpstreamDoesNotAccept() async throws {
        // A listener that never accepts, with its backlog already full, drops further SYNs.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        listen(listener, 0)
        let port = UInt16(bigEndian: address.sin_port)
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<4 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(fd)
        }
        usleep(100_000)
        let clock = ManualClock()
        let client = try client(port: port) {
            $0.connectTimeout = .seconds(10)
            $0.requestTimeout = .seconds(30)
        }
        let call = try await startOnManualLoop(client, post(), clock: clock)
        clock.advance(by: .seconds(10))
        #expect(await call.value.failure == .connectTimeout)
    }

    @Test func oversizedAndMalformedAnswersAreTyped() async throws {
        let big = try ScriptedUpstream { _, _ in
            .reply(ScriptedUpstream.reply(headers: ["Content-Length: 5000"], body: String(repeating: "x", count: 5000)), close: false)
        }
        defer { big.stop() }
        let limited = try client(port: big.port) { $0.maxResponseBytes = 1000 }
        #expect(await send(limited, post()).failure == .bodyTooLarge(limit: 1000))

        let garbage = try ScriptedUpstream { _, _ in .reply(Array("SMTP ready\r\n\r\n".utf8), close: true) }
        defer { garbage.stop() }
        #expect(await send(try client(port: garbage.port), post()).failure == .malformedResponse("bad status line"))
    }

    @Test func urlsAreParsed() {
        #expect(UpstreamURL("http://example.com/graphql") == UpstreamURL("http://example.com:80/graphql"))
        #expect(UpstreamURL("https://api.unioo.example/graphql")?.port == 443)
        #expect(UpstreamURL("http://[::1]:9000")?.host == "::1")
        #expect(UpstreamURL("http://[::1]:9000")?.hostHeader == "[::1]:9000")
        #expect(UpstreamURL("http://127.0.0.1:8081/graphql")?.hostHeader == "127.0.0.1:8081")
        #expect(UpstreamURL("ftp://x/") == nil)
        #expect(UpstreamURL("http://user@host/") == nil)
        #expect(UpstreamURL("http://host:notaport/") == nil)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
