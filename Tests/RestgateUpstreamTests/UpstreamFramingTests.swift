import RestgateTestSupport
import Synchronization
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer
@testable import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// Upstream answers are framed as strictly as client requests: every shape two parties could
/// read two ways fails the call, and the connection is closed, never pooled.
@Suite struct UpstreamFramingTests {
    private let loop: EventLoop

    init() throws {
        loop = try EventLoop.startDedicated(name: "framing-test")
    }

    private func client(port: UInt16) throws -> UpstreamClient {
        try UpstreamClient(name: "test", url: UpstreamURL("http://127.0.0.1:\(port)/graphql")!)
    }

    private func send(_ client: UpstreamClient, body: String = "{}", idempotent: Bool = true) async -> Result<
        UpstreamResponse, UpstreamError
    > {
        let loop = self.loop
        let request = UpstreamRequest(
            path: "/graphql", headers: [("Content-Type", "application/json")], body: Array(body.utf8), isIdempotent: idempotent)
        return await Task(executorPreference: loop) { await client.send(request, on: loop) }.value
    }

    static let refused: [(name: String, bytes: String)] = [
        ("a signed length", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n{}"),
        ("two equal lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}"),
        ("two lengths in one field", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n{}"),
        ("a hex length", "HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\n{}"),
        ("length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
        ("a coding other than chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
        (
            "too many interim answers",
            String(repeating: "HTTP/1.1 100 Continue\r\n\r\n", count: 5) + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
        ),
        ("a protocol switch", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"),
        ("an oversized head", "HTTP/1.1 200 OK\r\nX-Big: \(String(repeating: "b", count: 70_000))\r\nContent-Length: 2\r\n\r\n{}"),
        ("HTTP/1.2", "HTTP/1.2 200 OK\r\nContent-Length: 2\r\n\r\n{}"),
        ("a truncated chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\""),
        ("a truncated length body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\""),
        ("a corrupt gzip body", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd"),
    ]

    @Test(arguments: refused.map(\.name))
    func aMisframedAnswerFailsTheCallAndIsNeverPooled(_ name: String) async throws {
        let bytes = try #require(Self.refused.first { $0.name == name }).bytes
        let answered = Atomic<Int>(0)
        let upstream = try ScriptedUpstream { _, _ in
            answered.add(1, ordering: .relaxed).oldValue == 0
                ? .reply(Array(bytes.utf8), close: name.hasPrefix("a truncated"))
                : .reply(ScriptedUpstream.reply(headers: ["Content-Length: 2"], body: "{}"), close: false)
        }
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        let result = await send(client)
        guard case .failure(.malformedResponse) = result else {
            Issue.record("\(name): expected a malformed answer, got \(result)")
            return
        }
        // The next call needs a new connection: the misframed one was closed.
        let next = try await send(client).get()
        #expect(next.status == 200)
        #expect(upstream.acceptedConnections == 2)
    }

    @Test func interimAnswersUpToTheLimitAreSkipped() async throws {
        let bytes = String(repeating: "HTTP/1.1 100 Continue\r\n\r\n", count: 4) + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
        let upstream = try ScriptedUpstream { _, _ in .reply(Array(bytes.utf8), close: false) }
        defer { upstream.stop() }
        let response = try await send(try client(port: upstream.port)).get()
        #expect(response.status == 200)
        #expect(response.body == Array("{}".utf8))
    }

    /// The desync of issue 11: an upstream answered before reading the body, the connection
    /// was pooled, and the next call's head landed in the middle of the unsent body.
    @Test func anAnswerBeforeTheWholeRequestWasWrittenIsNeverPooled() async throws {
        let upstream = try ScriptedUpstream(answersBeforeBodies: true) { _, _ in
            .reply(ScriptedUpstream.reply(status: 400, headers: ["Content-Length: 2"], body: "{}"), close: false)
        }
        defer { upstream.stop() }
        let client = try client(port: upstream.port)
        let early = try await send(client, body: String(repeating: "x", count: 6 << 20), idempotent: false).get()
        #expect(early.status == 400)
        let next = try await send(client).get()
        #expect(next.status == 400)
        #expect(upstream.acceptedConnections == 2)
        for _ in 0..<150 where upstream.bytesAfterAnswers.count < 2 { usleep(20_000) }
        let after = upstream.bytesAfterAnswers
        #expect(after.count == 2)
        #expect(after.allSatisfy { !$0.contains("POST") }, "a call's head reached another call's body")
    }
}

/// A close-delimited answer over TLS is whole only when the upstream ended with close_notify.
@Suite(.serialized) struct UpstreamTLSTruncationTests {
    private func call(_ server: TLSTestServer) async throws -> Result<UpstreamResponse, UpstreamError> {
        let loop = try EventLoop.startDedicated(name: "tls-truncation")
        let client = try UpstreamClient(
            name: "tls", url: UpstreamURL("https://localhost:\(server.port)/graphql")!, tls: TLSConfiguration(caFile: server.caFile))
        let request = UpstreamRequest(path: "/graphql", headers: [], body: Array("{}".utf8), isIdempotent: true)
        return await Task(executorPreference: loop) { await client.send(request, on: loop) }.value
    }

    @Test func aBodyEndedByCloseNotifyIsWhole() async throws {
        let server = try TLSTestServer(body: #"{"whole":true}"#, kind: .closeDelimited(closeNotify: true))
        let response = try await call(server).get()
        #expect(response.status == 200)
        #expect(response.body == Array(#"{"whole":true}"#.utf8))
    }

    @Test func aBodyEndedByABareCloseIsRefused() async throws {
        let server = try TLSTestServer(body: #"{"cut":"#, kind: .closeDelimited(closeNotify: false))
        let result = try await call(server)
        guard case .failure(.malformedResponse(let detail)) = result else {
            Issue.record("expected a malformed answer, got \(result)")
            return
        }
        #expect(detail.contains("close_notify"))
    }
}
