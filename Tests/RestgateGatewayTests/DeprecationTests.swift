import Foundation
import RestgateTestSupport
import Testing

@testable import RestgateGateway
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan

/// A route the route file deprecates: its dates read strictly, its headers as RFC 9745 and
/// RFC 8594 spell them, and its OpenAPI operation marked.
@Suite struct DeprecationTests {
    @Test(
        arguments: [
            ("2026-06-30", 1_782_777_600), ("2024-02-29T12:00:00Z", 1_709_208_000), ("1970-01-01", 0),
        ] as [(String, Int64)])
    func datesAreSecondsSinceTheEpoch(text: String, seconds: Int64) {
        #expect(RouteDeprecation.seconds(text) == seconds)
    }

    @Test(arguments: ["2025-02-29", "2026-13-01", "2026-6-30", "2026-06-30T24:00:00Z", "2026-06-30 12:00", "30.06.2026", ""])
    func aBadDateIsRefused(text: String) {
        #expect(RouteDeprecation.seconds(text) == nil)
    }

    @Test func theHeadersNameTheDatesAndTheLink() {
        let headers = DeprecationStage.headers(
            RouteDeprecation(since: 1_782_777_600, sunset: 1_798_675_200, link: "https://docs.example/migrate"))
        #expect(headers.map(\.name) == ["Deprecation", "Sunset", "Link"])
        #expect(
            headers.map(\.value) == ["@1782777600", "Thu, 31 Dec 2026 00:00:00 GMT", #"<https://docs.example/migrate>; rel="deprecation""#])
    }

    @Test func theRouteFileDeclaresItAndTheDocumentMarksIt() throws {
        let yaml = """
            routes:
              - id: listRiskGroups
                method: GET
                path: /risk-groups
                upstream: unioo
                cacheControl: "private, max-age=60"
                deprecated: { since: 2026-06-30, sunset: 2026-12-31, link: "https://docs.example/migrate" }
                document: |
                  query listRiskGroups { riskGroups(first: 10) { nodes { id name } } }
                result: riskGroups.nodes
            """
        let route = try #require(try RouteFileLoader.load(yaml: yaml).first)
        #expect(route.deprecation == RouteDeprecation(since: 1_782_777_600, sunset: 1_798_675_200, link: "https://docs.example/migrate"))
        #expect(route.cacheControl == "private, max-age=60")
        let compiled = try RouteValidator().compile(yaml: yaml)
        let document = String(decoding: OpenAPIDocument(routes: compiled, validator: try RouteValidator()).jsonBytes, as: UTF8.self)
        #expect(document.contains(#""deprecated":true"#))
        let line = #"deprecated: { since: 2026-06-30, sunset: 2026-12-31, link: "https://docs.example/migrate" }"#
        for (replacement, message) in [
            ("deprecated: { since: 2026-06-30, sunset: 2026-01-01 }", "'sunset' must not come before 'since'"),
            ("deprecated: { since: tomorrow }", "'since' must be a date"),
            (#"deprecated: { since: 2026-06-30, link: "javascript:x" }"#, "'link' must be a URL"),
            ("deprecated: { sunset: 2026-06-30 }", "'since' is required"),
        ] {
            do {
                _ = try RouteFileLoader.load(yaml: yaml.replacingOccurrences(of: line, with: replacement))
                Issue.record("\(replacement) was accepted")
            } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }
}
