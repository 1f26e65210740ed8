import RestgateConfiguration
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

@Suite struct GatewayResponderTests {
    private func makeServer() throws -> (TestServer, ServerLifecycle) {
        let lifecycle = ServerLifecycle()
        let server = try TestServer(responder: GatewayResponder(lifecycle: lifecycle), lifecycle: lifecycle)
        return (server, lifecycle)
    }

    @Test func healthzAnswersOK() throws {
        let (server, _) = try makeServer()
        defer { server.stop() }
        let response = try server.request("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        #expect(response.text == #"{"status":"ok"}"#)
    }

    @Test func readyzIs503WhileDraining() throws {
        let (server, lifecycle) = try makeServer()
        defer { server.stop() }
        #expect(try server.request("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n").text == #"{"status":"ready","upstreams":{}}"#)
        lifecycle.transition(to: .draining)
        let response = try server.request("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.status == 503)
        #expect(response.header("retry-after") == "5")
        #expect(response.text.contains(#""code":"UNAVAILABLE""#))
        #expect(try server.request("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
    }

    @Test func unknownPathIs404RouteNotFound() throws {
        let (server, _) = try makeServer()
        defer { server.stop() }
        let response = try server.request("GET /nowhere?x=1 HTTP/1.1\r\nHost: t\r\nX-Request-ID: fixed-id\r\n\r\n")
        #expect(response.status == 404)
        #expect(response.header("content-type") == "application/problem+json")
        #expect(
            response.text
                == #"{"type":"/problems/route-not-found","title":"No such route","status":404,"detail":"No route matches GET /nowhere.","#
                + #""instance":"/nowhere","code":"ROUTE_NOT_FOUND","requestId":"fixed-id"}"#)
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let (server, _) = try makeServer()
        defer { server.stop() }
        let response = try server.request("DELETE /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.status == 405)
        #expect(response.header("allow") == "GET, HEAD, OPTIONS")
        #expect(response.text.contains(#""code":"METHOD_NOT_ALLOWED""#))
    }

    @Test func optionsIsAnsweredWithAllow() throws {
        let (server, _) = try makeServer()
        defer { server.stop() }
        let path = try server.request("OPTIONS /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(path.status == 204)
        #expect(path.header("allow") == "GET, HEAD, OPTIONS")
        let star = try server.request("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(star.status == 204)
        #expect(star.header("allow") == "GET, HEAD, OPTIONS")
    }

    @Test func everyProblemTypeHasAPage() throws {
        let (server, _) = try makeServer()
        defer { server.stop() }
        for code in ProblemCode.catalogue {
            let response = try server.request("GET \(code.typeURI) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            #expect(response.text.contains("code: \(code.name)"))
        }
        #expect(try server.request("GET /problems/no-such-thing HTTP/1.1\r\nHost: t\r\n\r\n").status == 404)
    }

    @Test func theRouteFilesOwnProblemCodesHavePagesToo() throws {
        let routes = try RouteValidator().compile(yaml: BuiltInConfiguration.routesYAML)
        let lifecycle = ServerLifecycle()
        let server = try TestServer(responder: GatewayResponder(lifecycle: lifecycle, routes: routes), lifecycle: lifecycle)
        defer { server.stop() }
        let page = try server.request("GET /problems/invitation-quota-exceeded HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(page.status == 200)
        #expect(page.text.contains("code: INVITATION_QUOTA_EXCEEDED") && page.text.contains("status: 429"))
        // Without the route file, the gateway knows only its own codes.
        let (bare, _) = try makeServer()
        defer { bare.stop() }
        #expect(try bare.request("GET /problems/invitation-quota-exceeded HTTP/1.1\r\nHost: t\r\n\r\n").status == 404)
    }
}
