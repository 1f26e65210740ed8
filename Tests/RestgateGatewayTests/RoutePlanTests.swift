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

/// The route plan is made in a helper process and decoded by the server: what the server
/// decodes must be what the helper made, field for field.
@Suite struct RoutePlanTests {
    private func plan(_ yaml: String = BuiltInConfiguration.routesYAML) throws -> RoutePlan {
        switch RoutePlan.make(RoutePlan.Input(routesYAML: yaml)) {
        case .plan(let plan): return plan
        case .failure(let message): throw TestFailure(message)
        case .problems(let problems): throw TestFailure("problems instead of a plan: \(problems)")
        }
    }

    /// The live schema check asks for every route's problem, each with its upstream.
    @Test func everyProblemNamesEachRouteAndItsUpstream() throws {
        let broken = BuiltInConfiguration.routesYAML
            .replacingOccurrences(
                of: "riskGroups(first: $first, after: $after)", with: "riskGroups(first: $first, after: $after, color: RED)"
            )
            .replacingOccurrences(of: "signIn(input: $input) {", with: "signIn(input: $input, mood: HAPPY) {")
        guard case .problems(let problems) = RoutePlan.make(RoutePlan.Input(routesYAML: broken, everyProblem: true)) else {
            Issue.record("no problems answered")
            return
        }
        #expect(problems.map(\.route) == ["listRiskGroups", "createElementsToken"])
        #expect(problems.map(\.upstream) == ["unioo", "elements"])
        guard case .problems(let none) = RoutePlan.make(RoutePlan.Input(routesYAML: BuiltInConfiguration.routesYAML, everyProblem: true))
        else {
            Issue.record("no answer for good routes")
            return
        }
        #expect(none.isEmpty)
    }

    @Test func aPlanSurvivesTheWireUnchanged() throws {
        let made = try plan()
        #expect(made.routes.count == 14)
        #expect(made.routes.allSatisfy { !$0.errorRules.isEmpty })
        let wire = RoutePlan.encode(RoutePlan.Outcome.plan(made))
        guard case .plan(let decoded) = try RoutePlan.decode(RoutePlan.Outcome.self, from: wire) else {
            Issue.record("the outcome decoded as a failure")
            return
        }
        // Every member is encoded (only the GraphQL types stay behind): encoding what was
        // decoded gives the same bytes back.
        #expect(RoutePlan.encode(RoutePlan.Outcome.plan(decoded)) == wire)
        #expect(decoded.routes.map(\.definition.id) == made.routes.map(\.definition.id))
        #expect(decoded.routes.map(\.definition.variables) == made.routes.map(\.definition.variables))
        #expect(decoded.routes.map(\.definition.example) == made.routes.map(\.definition.example))
        #expect(decoded.openAPI == made.openAPI)
    }

    @Test func thePlansDocumentIsTheGeneratedOne() throws {
        let validator = try RouteValidator()
        let document = try OpenAPIDocument(routeFile: BuiltInConfiguration.routesYAML, validator: validator)
        #expect(try plan().openAPI == document.text)
    }

    @Test func aRouteFileThatDoesNotFitIsAFailureNamingItsLine() throws {
        let broken = BuiltInConfiguration.routesYAML.replacingOccurrences(of: "isPrimary }", with: "isPrimry }")
        guard case .failure(let message) = RoutePlan.make(RoutePlan.Input(routesYAML: broken)) else {
            Issue.record("a document naming an unknown field made a plan")
            return
        }
        #expect(message.hasPrefix("route file line "))
        let badSchema = RoutePlan.make(
            RoutePlan.Input(routesYAML: BuiltInConfiguration.routesYAML, schemaOverrides: ["unioo": "type Query {"]))
        guard case .failure = badSchema else {
            Issue.record("a schema that does not parse made a plan")
            return
        }
    }

    @Test func anAnswerThatIsNotAPlanDoesNotDecode() {
        #expect(throws: (any Error).self) { try RoutePlan.decode(RoutePlan.Outcome.self, from: Array(#"{"plan":{}}"#.utf8)) }
        #expect(throws: (any Error).self) { try RoutePlan.decode(RoutePlan.Outcome.self, from: []) }
    }
}
