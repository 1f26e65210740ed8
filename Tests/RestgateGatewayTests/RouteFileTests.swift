import Foundation
import RestgateConfiguration
import RestgateGateway
import RestgateHTTP
import RestgateTestSupport
import Testing

@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateSandbox
@testable import RestgateServer
@testable import RestgateUpstream

/// The route file: routes are data, checked against the upstream schema at start-up, and a
/// route that does not fit stops the start with its route, line and field.
@Suite struct RouteFileTests {
    private static let valid = """
        routes:
          - id: listRiskGroups
            method: GET
            path: /risk-groups
            upstream: unioo
            document: |
              query listRiskGroups($first: Int, $after: String) {
                riskGroups(first: $first, after: $after) {
                  totalCount
                  nodes { id name }
                  pageInfo { hasNextPage endCursor }
                }
              }
            result: riskGroups
            list:
              totalCount: totalCount
              pageSizeVariable: first
              cursorVariable: after
          - id: sendInvitation
            method: POST
            path: /invitations/{id}/send
            upstream: unioo
            document: |
              mutation sendInvitation($input: StartInvitationFlowInput!) {
                startInvitationFlow(input: $input) {
                  organizationInvitation { id }
                  invitationsLeft { invitationsLeftThisMonth invitationsLeftThisWeek }
                }
              }
            variables:
              input: { from: object, fields: { invitationId: { from: path, name: id, format: uuid } } }
            result: startInvitationFlow
          - id: token
            method: POST
            path: /auth/token
            upstream: unioo
            auth: none
            document: |
              mutation token($input: AuthenticateInput!) { authenticate(input: $input) { authenticationPayload { jwt } } }
            variables:
              input: { from: body }
            result: authenticate.authenticationPayload
        """

    private func load(_ yaml: String) throws -> [RouteDefinition] {
        try RouteValidator().validate(try RouteFileLoader.load(yaml: yaml))
    }

    private func error(_ yaml: String) -> RouteFileError? {
        do {
            _ = try load(yaml)
            return nil
        } catch let error as RouteFileError {
            return error
        } catch {
            return nil
        }
    }

    @Test func validRoutesLoadWithWhatValidationLearns() throws {
        let routes = try load(Self.valid)
        #expect(routes.map(\.id) == ["listRiskGroups", "sendInvitation", "token"])
        #expect(routes.map(\.isMutation) == [false, true, true])
        #expect(routes[0].list?.cursorVariable == "after")
        #expect(routes[0].list?.items == ["nodes"])
        #expect(routes[1].variables["input"] == .object(["invitationId": .path("id", format: .uuid)]))
        #expect(routes[2].authentication == .none)
        #expect(routes[2].result == ["authenticate", "authenticationPayload"])
        #expect(routes[0].documentLine == 7)
    }

    @Test func aFieldTheSchemaLacksNamesTheRouteTheLineAndTheField() {
        let yaml = Self.valid.replacingFirst("nodes { id name }", with: "nodes { id colour }")
        let failure = error(yaml)
        #expect(failure?.route == "listRiskGroups")
        #expect(failure?.line == 10)
        #expect(failure?.message.contains("colour") == true)
        #expect(
            failure?.description.hasPrefix("route file line 10, route listRiskGroups: the document does not fit the unioo schema") == true)
    }

    @Test(arguments: [
        (
            "upstream: unioo\n    document: |\n      query listRiskGroups",
            "upstream: nowhere\n    document: |\n      query listRiskGroups", "unknown upstream 'nowhere'"
        ),
        ("    result: riskGroups\n", "    result: riskGroupz\n", "result 'riskGroupz' is not selected by the document"),
        ("cursorVariable: after", "cursorVariable: before", "the route fills $before, which the document does not declare"),
        ("      input: { from: body }", "      inputs: { from: body }", "the route fills $inputs, which the document does not declare"),
        ("name: id, format: uuid", "name: invitation, format: uuid", "a path source needs 'name', one of the path's parameters (id)"),
        ("method: GET", "method: FETCH", "method must be GET, POST, PUT, PATCH or DELETE"),
        ("    auth: none", "    auth: maybe", "auth must be bearer or none"),
        ("    auth: none", "    auth: none\n    idempotency: optional", "idempotency needs auth: bearer"),
        ("    auth: none", "    auth: none\n    idempotency: maybe", "idempotency must be optional, required or off"),
        ("      totalCount: totalCount", "      totalCount: total", "list path 'total' is not selected under the result"),
        ("  - id: token", "  - id: listRiskGroups", "the id is already used by the route at line 2"),
        ("    result: riskGroups\n", "    resullt: riskGroups\n", "unknown key 'resullt'"),
        ("    result: riskGroups\n", "    result: \".\"\n", "result must be a dotted path of GraphQL names"),
        ("    result: riskGroups\n", "    result: riskGroups.\n", "result must be a dotted path of GraphQL names"),
        ("    result: riskGroups\n", "    result: risk-groups\n", "result must be a dotted path of GraphQL names"),
        ("      totalCount: totalCount", "      totalCount: \"..\"", "list 'totalCount' must be a dotted path of GraphQL names; got '..'"),
    ])
    func mistakesStopTheStartWithAClearMessage(original: String, replacement: String, message: String) {
        let failure = error(Self.valid.replacingFirst(original, with: replacement))
        #expect(failure?.message == message || failure?.message.hasPrefix(message) == true, "got \(String(describing: failure))")
    }

    @Test func requiredVariablesMustBeFilled() {
        let failure = error(Self.valid.replacingFirst("    variables:\n      input: { from: body }\n", with: ""))
        #expect(failure?.message == "the document requires $input, which the route does not fill")
        #expect(failure?.route == "token")
    }

    @Test func theBuiltInRouteFileCoversTheRESTContractAndFitsTheSchemas() throws {
        let routes = try load(BuiltInConfiguration.routesYAML)
        #expect(
            routes.map { "\($0.method) \($0.path)" } == [
                "POST /auth/token", "GET /risk-groups", "GET /branch-offices", "POST /invitations", "GET /invitations",
                "GET /invitations/{id}",
                "PATCH /invitations/{id}", "PUT /invitations/{id}/branch-office", "POST /invitations/{id}/send", "GET /organizations",
                "GET /organizations/{id}", "POST /elements/auth/token", "GET /elements/firms/{firmId}/client-invitations",
                "GET /elements/firms/{firmId}/clients",
            ])
        #expect(
            routes.filter(\.isMutation).map(\.id) == [
                "createToken", "createInvitation", "updateInvitation", "setInvitationBranchOffice", "sendInvitation", "createElementsToken",
            ])
        #expect(routes.filter { $0.authentication == .none }.map(\.id) == ["createToken", "createElementsToken"])
        let create = try #require(routes.first { $0.id == "createInvitation" })
        #expect(create.document.contains("fragment InvitationFields on OrganizationInvitation"))
        #expect(create.document.contains("fragment RiskGroupFields on RiskGroup"))
        #expect(create.document.contains("fragment BankAccountFields on BankAccount"))
    }

    @Test func anUnknownFragmentSpreadIsAValidationError() {
        let yaml = Self.valid.replacingFirst("nodes { id name }", with: "nodes { ...Missing }")
        #expect(error(yaml)?.message.contains("Missing") == true)
    }

    @Test func errorRulesAreCheckedAtLoad() {
        func ruleError(_ rule: String) -> String? {
            do {
                _ = try RouteFileLoader.loadFile(yaml: "errors:\n\(rule)\n" + Self.valid)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(
            ruleError("  - match: { message: \"(unclosed\" }\n    problem: NOT_FOUND")?.contains("not a valid regular expression") == true)
        #expect(ruleError("  - match: { message: \"x\" }\n    problem: TEAPOT")?.hasPrefix("error rule: 'problem' must be one of") == true)
        #expect(ruleError("  - problem: NOT_FOUND") == "error rule: 'match' needs a 'message' pattern or a 'code'")
        #expect(ruleError("  - match: { code: BLOCKED }\n    problem: FORBIDDEN") == nil)
    }

    @Test func aRouteFileDeclaresItsOwnProblemCodes() throws {
        let problems = """
            problems:
              TEAPOT_EMPTY:
                status: 503
                title: The teapot is empty
                explanation: Fill it.
                members:
                  refillAt: { type: string, format: date-time }
            errors:
              - match: { code: EMPTY }
                problem: TEAPOT_EMPTY

            """
        let file = try RouteFileLoader.loadFile(yaml: problems + Self.valid)
        let code = try #require(file.problems.first)
        #expect(code.name == "TEAPOT_EMPTY" && code.status == 503 && code.title == "The teapot is empty")
        let refill = ProblemMember(name: "refillAt", schema: .object([("type", .string("string")), ("format", .string("date-time"))]))
        #expect(code.members == [refill])
        #expect(file.errorRules.first?.problem == code)
        // The gateway's generic code for the same status is untouched: the domain lives in data.
        #expect(!ProblemCode.catalogue.contains(code))

        func loadError(_ yaml: String) -> String? {
            do {
                _ = try RouteFileLoader.loadFile(yaml: yaml + Self.valid)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(
            loadError("problems:\n  NOT_FOUND: { status: 404, title: t, explanation: e }\n")
                == "problem: NOT_FOUND is one of the gateway's own codes")
        #expect(loadError("problems:\n  teapot: { status: 418, title: t, explanation: e }\n")?.contains("SCREAMING_SNAKE_CASE") == true)
        #expect(
            loadError("problems:\n  TEAPOT: { status: 200, title: t, explanation: e }\n") == "problem: TEAPOT needs a 4xx or 5xx 'status'")
        #expect(loadError("problems:\n  TEAPOT: { status: 418 }\n") == "problem: TEAPOT needs a 'title' and an 'explanation'")
    }

    @Test func aRequestExampleMustFitTheBody() {
        let good = Self.valid.replacingFirst(
            "      input: { from: body }\n", with: "      input: { from: body }\n    example: { clientId: a, secret: b }\n")
        #expect(error(good) == nil)
        let bad = Self.valid.replacingFirst(
            "      input: { from: body }\n", with: "      input: { from: body }\n    example: { clientId: a, colour: red }\n")
        #expect(error(bad)?.message.hasPrefix("the example does not fit the body:") == true)
    }

    @Test func plainYAMLNumbersBecomeValidJSONNumbers() throws {
        let yaml = Self.valid.replacingFirst(
            "      input: { from: body }\n",
            with: "      input: { from: body }\n    example: { a: +5, b: 007, c: 1., d: -1.5, e: 1e5, f: 0x1F, g: 12abc, h: \"+5\" }\n")
        let example = try #require(try RouteFileLoader.load(yaml: yaml).compactMap(\.example).first)
        let expected: JSONValue = .object([
            ("a", .number("5")), ("b", .number("7")), ("c", .number("1.0")), ("d", .number("-1.5")), ("e", .number("1e5")),
            ("f", .number("31.0")), ("g", .string("12abc")), ("h", .string("+5")),
        ])
        #expect(example == expected)
        // Valid JSON, so the OpenAPI document and the route plan carry it unchanged.
        #expect(try JSONParser.parse(example.bytes) == example)
    }

    @Test func brokenYAMLIsReported() {
        #expect(error("routes: [")?.message.hasPrefix("not valid YAML") == true)
        #expect(error("paths: []")?.message == "expected a top-level 'routes:' list")
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
