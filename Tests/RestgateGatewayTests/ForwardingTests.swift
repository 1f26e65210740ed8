import RestgateGateway
import RestgateTestSupport
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateSandbox
@testable import RestgateServer
@testable import RestgateUpstream

/// A route as issue 4 will build them: check the bearer token, forward the allowed headers,
/// run one GraphQL operation. Driven over real sockets end to end.
private struct ForwardingRoute: HTTPResponder {
    let client: GraphQLClient

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        do throws(Problem) {
            try BearerToken.require(request.headers)
        } catch {
            return error.response(requestID: request.requestID, instance: request.path)
        }
        let operation = GraphQLOperation(document: "{ riskGroups { totalCount } }", isMutation: false)
        let result = await client.execute(
            operation, variables: .object([]), forwarding: ForwardedHeaders.select(from: request), on: request.eventLoop!)
        switch result {
        case .success(let response): return HTTPResponse.json(200, (response.data ?? .null).bytes)
        case .failure(let error): return HTTPResponse(status: 502, body: Array("\(error)".utf8))
        }
    }
}

@Suite struct ForwardingTests {
    private func gateway(upstreamPort: UInt16) throws -> TestServer {
        let upstream = try UpstreamClient(name: "unioo", url: UpstreamURL("http://127.0.0.1:\(upstreamPort)/graphql")!)
        return try TestServer(responder: ForwardingRoute(client: GraphQLClient(upstream: upstream)))
    }

    @Test func authorizationArrivesByteForByteAndNothingOffTheAllowListDoes() throws {
        let upstream = try ScriptedUpstream { _, _ in
            let body = #"{"data":{"riskGroups":{"totalCount":3}}}"#
            return .reply(ScriptedUpstream.reply(headers: ["Content-Length: \(body.utf8.count)"], body: body), close: false)
        }
        defer { upstream.stop() }
        let gateway = try gateway(upstreamPort: upstream.port)
        defer { gateway.stop() }
        let response = try gateway.request(
            "GET /x HTTP/1.1\r\nHost: gateway.example\r\nAuthorization: bEaReR   aaa.bbb.ccc\r\nCookie: session=1\r\n"
                + "Proxy-Authorization: Basic eA==\r\nX-Request-ID: trace-me-1\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
                + "tracestate: vendor=1\r\nX-Custom: secret\r\nConnection: keep-alive, X-Custom\r\nUser-Agent: erp/1.0\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.text == #"{"riskGroups":{"totalCount":3}}"#)
        let body = #"{"query":"{ riskGroups { totalCount } }","variables":{}}"#
        #expect(
            upstream.requests == [
                "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:\(upstream.port)\r\nContent-Length: \(body.utf8.count)\r\nAccept-Encoding: gzip\r\n"
                    + "Content-Type: application/json\r\nAccept: application/json\r\nAuthorization: bEaReR   aaa.bbb.ccc\r\n"
                    + "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\ntracestate: vendor=1\r\nX-Request-ID: trace-me-1\r\n\r\n"
                    + body
            ])
    }

    @Test(arguments: [
        (nil, #"Bearer realm="restgate""#),
        ("Basic dXNlcjpwYXNz", #"Bearer realm="restgate", error="invalid_token""#),
        ("Bearer", #"Bearer realm="restgate", error="invalid_token""#),
        ("Bearer only.two", #"Bearer realm="restgate", error="invalid_token""#),
        ("Bearer a.b.c.d", #"Bearer realm="restgate", error="invalid_token""#),
        ("Bearer a.b!.c", #"Bearer realm="restgate", error="invalid_token""#),
        ("Bearer a..c", #"Bearer realm="restgate", error="invalid_token""#),
        ("Bearer a.b.c", #"Bearer realm="restgate", error="invalid_token""#),
    ])
    func missingOrMalformedTokensAre401WithoutAnUpstreamCall(authorization: String?, challenge: String) throws {
        let upstream = try ScriptedUpstream { _, _ in .closeWithoutAnswer }
        defer { upstream.stop() }
        let gateway = try gateway(upstreamPort: upstream.port)
        defer { gateway.stop() }
        let header = authorization.map { "Authorization: \($0)\r\n" } ?? ""
        let response = try gateway.request("GET /x HTTP/1.1\r\nHost: g\r\n\(header)\r\n")
        #expect(response.status == 401)
        #expect(response.header("www-authenticate") == challenge)
        #expect(response.text.contains(#""code":"UNAUTHENTICATED""#))
        #expect(upstream.acceptedConnections == 0)
    }
}

/// The GraphQL client's typed failures, each from a scripted upstream answer.
@Suite struct GraphQLClientTests {
    private let loop: EventLoop

    init() throws {
        loop = try EventLoop.startDedicated(name: "graphql-test")
    }

    private func call(_ reply: [UInt8]) async throws -> Result<GraphQLResponse, GraphQLCallError> {
        let upstream = try ScriptedUpstream { _, _ in .reply(reply, close: true) }
        defer { upstream.stop() }
        let client = GraphQLClient(upstream: try UpstreamClient(name: "u", url: UpstreamURL("http://127.0.0.1:\(upstream.port)/graphql")!))
        let loop = self.loop
        return await Task(executorPreference: loop) {
            await client.execute(GraphQLOperation(document: "{ a }", isMutation: true), variables: .object([]), forwarding: [], on: loop)
        }.value
    }

    private func reply(_ status: Int, _ body: String) -> [UInt8] {
        ScriptedUpstream.reply(status: status, headers: ["Content-Length: \(body.utf8.count)"], body: body)
    }

    @Test func errorsBesideDataAreBothKept() async throws {
        let response = try await call(reply(200, #"{"data":{"a":1},"errors":[{"message":"partly"}]}"#)).get()
        #expect(response.data?["a"] == .number("1"))
        #expect(response.errors.first?["message"]?.string == "partly")
    }

    @Test func nonSuccessStatusesKeepTheirJSONBody() async throws {
        #expect(
            try await call(reply(401, #"{"errors":[{"message":"no"}]}"#)).failure
                == .status(401, body: .object([("errors", .array([.object([("message", .string("no"))])]))])))
        #expect(try await call(reply(503, "busy")).failure == .status(503, body: nil))
    }

    @Test func garbageOrEmptySuccessIsNotJSON() async throws {
        #expect(try await call(reply(200, "<html>")).failure == .notJSON("HTTP 200 with a body that is not a GraphQL JSON response"))
        #expect(try await call(reply(200, "")).failure == .notJSON("HTTP 200 with an empty body"))
        #expect(try await call(reply(200, "[1]")).failure == .notJSON("HTTP 200 with a body that is not a GraphQL JSON response"))
    }
}

extension Result where Failure == GraphQLCallError {
    fileprivate var failure: GraphQLCallError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
