public import RestgateHTTP
import RestgateJSON
public import RestgateServer

/// The built-in stand-in for both upstreams: Unioo at `/unioo/graphql`, Elements at
/// `/elements/graphql`, served by our own HTTP server. Everything is in memory.
public final class Sandbox: HTTPResponder {
    public static let uniooPath = "/unioo/graphql"
    public static let elementsPath = "/elements/graphql"

    /// Where the sandbox serves the upstream named `name` in a route file, if it serves it.
    public static func path(of name: String) -> String? {
        switch name {
        case "unioo": uniooPath
        case "elements": elementsPath
        default: nil
        }
    }
    private static let acceptPrefix = "/unioo/sandbox/invitations/"

    private let unioo: UniooSandbox
    private let elements: ElementsSandbox
    private let faults = SandboxFaults()

    public init(configuration: SandboxConfiguration = SandboxConfiguration()) throws {
        let tokens = TokenIssuer(lifetimeSeconds: configuration.tokenLifetimeSeconds)
        unioo = try UniooSandbox(
            tokens: tokens, quota: Quota(perMonth: configuration.invitationsPerMonth, perWeek: configuration.invitationsPerWeek),
            maxInvitations: configuration.maxInvitations)
        elements = try ElementsSandbox(tokens: tokens)
    }

    /// The demo credentials, for the start-up log and the README.
    public static let credentials: [(upstream: String, description: String)] = [
        ("unioo", "authenticate(input: {clientId: \"\(UniooSandbox.clientID)\", secret: \"\(UniooSandbox.secret)\"})"),
        ("elements", "signIn(input: {usernameOrEmail: \"\(ElementsSandbox.username)\", password: \"\(ElementsSandbox.password)\"})"),
    ]
    public static let demoFirmID = ElementsSandbox.firmID

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch (request.method, request.path) {
        case (.post, Self.uniooPath), (.post, Self.elementsPath):
            let delay = faults.take(requestBody: request.body)
            let response = await (request.path == Self.uniooPath ? unioo.endpoint : elements.endpoint).handle(request)
            if let delay { try? await Task.sleep(for: delay) }
            return response
        case (.post, "/sandbox/faults"):
            guard let operation = faults.arm(request.body) else {
                return GraphQLEndpoint.errors(
                    400, [("Send {\"operation\": NAME, \"delayMilliseconds\": 0 to 120000, \"count\": N}.", "BAD_REQUEST")])
            }
            var json = JSONWriter()
            json.beginObject()
            json.member("armed", operation)
            json.endObject()
            return HTTPResponse.json(200, json.bytes)
        case (.get, "/healthz"): return HTTPResponse.json(200, Array(#"{"status":"ok"}"#.utf8))
        case (.post, let path) where path.hasPrefix(Self.acceptPrefix) && path.hasSuffix("/accept"):
            let id = String(path.dropFirst(Self.acceptPrefix.count).dropLast("/accept".count))
            do {
                let organization = try unioo.accept(invitation: id)
                var json = JSONWriter()
                json.beginObject()
                json.member("organizationId", organization)
                json.endObject()
                return HTTPResponse.json(200, json.bytes)
            } catch {
                return GraphQLEndpoint.errors(404, [(error.message, error.code ?? "BAD_REQUEST")])
            }
        case (_, Self.uniooPath), (_, Self.elementsPath):
            return HTTPResponse(status: 405, headers: [("Allow", "POST")])
        default:
            return GraphQLEndpoint.errors(404, [("No sandbox endpoint at \(request.path).", "NOT_FOUND")])
        }
    }
}
