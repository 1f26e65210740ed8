import Testing

@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan

/// The route file's edge settings: named rate-limit policies that routes name, and variables
/// taken from the verified token's claims.
@Suite struct EdgeRouteFileTests {
    private static func file(
        policies: String, rateLimit: String = "writes", auth: String = "bearer", source: String = "{ from: claim, name: erp.customer }"
    )
        -> String
    {
        """
        rateLimits:
        \(policies)
        routes:
          - id: createInvitation
            method: POST
            path: /invitations
            upstream: unioo
            auth: \(auth)
            rateLimit: \(rateLimit)
            document: |
              mutation createInvitation($input: CreateOrganizationInvitationInput!) {
                createOrganizationInvitation(input: $input) { organizationInvitation { id } }
              }
            variables:
              input: { from: body, merge: { externalId: \(source) } }
            result: createOrganizationInvitation.organizationInvitation
        """
    }

    private func message(_ yaml: String) -> String? {
        do {
            _ = try RouteValidator().validate(try RouteFileLoader.load(yaml: yaml))
            return nil
        } catch let error as RouteFileError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func aRouteNamesItsPolicyAndAClaimFillsAVariable() throws {
        let routes = try RouteFileLoader.load(
            yaml: Self.file(policies: "  writes: { limit: 60, window: 1m, burst: 10, key: erp.customer }"))
        let policy = try #require(routes.first?.rateLimit)
        #expect(policy == RateLimitPolicy(name: "writes", limit: 60, windowMilliseconds: 60_000, burst: 10, key: ["erp", "customer"]))
        #expect(policy.intervalMicroseconds == 1_000_000)
        #expect(routes.first?.variables["input"] == .body(merge: ["externalId": .claim(["erp", "customer"])]))
        #expect(routes.first?.variables["input"]?.readsClaim == true)
    }

    @Test func mistakesNameTheirLine() {
        #expect(
            message(Self.file(policies: "  writes: { limit: 60, window: 1m }", rateLimit: "reads"))?.contains(
                "rateLimit must name a policy") == true)
        #expect(message(Self.file(policies: "  writes: { limit: 0, window: 1m }"))?.contains("'limit' must be") == true)
        #expect(message(Self.file(policies: "  writes: { limit: 5, window: 2w }"))?.contains("'window' must be") == true)
        #expect(message(Self.file(policies: "  writes: { limit: 5, window: 1m, per: ip }"))?.contains("unknown key 'per'") == true)
        #expect(message(Self.file(policies: "  writes: { limit: 5, window: 1m }", auth: "none"))?.contains("needs auth: bearer") == true)
        #expect(
            message(Self.file(policies: "  writes: { limit: 5, window: 1m }", source: "{ from: claim }"))?.contains("needs 'name'") == true)
        #expect(message(Self.file(policies: "  writes: { limit: 5, window: 1m }")) == nil)
        #expect(
            message(Self.file(policies: "  default: { limit: 5, window: 1m }", rateLimit: "default"))?.contains("not 'default'") == true)
        #expect(
            message(Self.file(policies: #"  "a\\b": { limit: 5, window: 1m }"#, rateLimit: #""a\\b""#))?.contains("letters, digits") == true
        )
    }

    @Test(arguments: [
        ("600/1m", 600, 60_000), ("5/30s", 5, 30_000), ("10/1h", 10, 3_600_000), ("1/1d", 1, 86_400_000), ("7/90", 7, 90_000),
    ])
    func theOperatorsLimitParses(text: String, limit: Int, window: Int64) {
        #expect(RateLimitPolicy.parse(text) == RateLimitPolicy(name: "default", limit: limit, windowMilliseconds: window))
    }

    @Test func intervalsAreExactToTheMicrosecond() throws {
        // Whole milliseconds would have let 600/1s through at 1,000 a second.
        #expect(try #require(RateLimitPolicy.parse("600/1s")).intervalMicroseconds == 1666)
        #expect(try #require(RateLimitPolicy.parse("1000000/1s")).intervalMicroseconds == 1)
        #expect(RateLimitPolicy.parse("1000001/1s") == nil)
    }

    @Test(arguments: ["600", "0/1m", "5/0s", "5/2d", "x/1m", "5/1w", "-1/1m", ""])
    func aBadLimitIsRefused(text: String) {
        #expect(RateLimitPolicy.parse(text) == nil)
    }
}
