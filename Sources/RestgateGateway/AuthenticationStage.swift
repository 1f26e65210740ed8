import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer
import RestgateTokens

/// Refuses a request to a route that needs a token when it carries none that could be a JWT
/// (401), before any upstream call. When the route's upstream has verification keys, the token
/// must also pass them (signature, `exp`, `nbf`, `iss`, `aud`), and what it proves is handed to
/// the later stages (`RouteCall.token`); else the upstream verifies the token itself. With a
/// `throttle`, a client address that sent too many refused tokens has its new ones refused
/// (429) unchecked for a while; a token that passed before still passes.
struct AuthenticationStage: RouteStage {
    /// By upstream name.
    let verifiers: [String: TokenVerifier]
    let statistics: EdgeStatistics
    var throttle: RefusalThrottle?

    func applies(to route: CompiledRoute) -> Bool { route.definition.authentication == .bearer }

    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse {
        guard call.route.definition.authentication == .bearer else { return try await next(call) }
        guard let verifier = verifiers[call.route.definition.upstream] else {
            try BearerToken.require(call.request.headers)
            return try await next(call)
        }
        // The verifier judges every shape itself, so that each refusal says why (an unsigned
        // token's empty third part is still a JWT, RFC 7519 §6).
        guard let header = call.request.headers["authorization"] else { throw BearerToken.missing }
        guard let token = BearerToken.token(in: header) else {
            throw Self.refused(.malformed("the Authorization header is not 'Bearer <token>'"))
        }
        let address = call.request.forwarded.clientAddress
        if let throttle, let wait = throttle.wait(for: address) {
            guard let known = verifier.cached(token) else {
                statistics.countThrottled()
                throw Self.throttled(wait: wait, policy: throttle.policy)
            }
            statistics.countToken(nil)
            var verifiedCall = call
            verifiedCall.token = known
            return try await next(verifiedCall)
        }
        switch await verifier.verify(token) {
        case .success(let verified):
            statistics.countToken(nil)
            var verifiedCall = call
            verifiedCall.token = verified
            return try await next(verifiedCall)
        case .failure(.keysUnavailable):
            statistics.countToken(.keysUnavailable)
            throw Problem(
                .unavailable, detail: "The keys that verify tokens for this route are not loaded yet; retry shortly.",
                headers: [("Retry-After", "1")])
        case .failure(let refusal):
            statistics.countToken(refusal)
            throttle?.record(address)
            throw Self.refused(refusal)
        }
    }

    /// 429 for a token not checked: its address is over `policy` in refused tokens.
    static func throttled(wait microseconds: Int64, policy: RateLimitPolicy) -> Problem {
        let seconds = max(1, (microseconds + 999_999) / 1_000_000)
        return Problem(
            .rateLimited,
            detail:
                "This client address sent more than \(policy.limit) refused tokens in \(policy.windowMilliseconds / 1000) s (--jwt-refusal-limit); its new tokens are not checked for \(seconds) s.",
            headers: [("Retry-After", String(seconds))])
    }

    /// 401 with the RFC 6750 challenge naming what failed.
    static func refused(_ refusal: TokenRefusal) -> Problem {
        let description = refusal.description
        return Problem(
            .unauthenticated, detail: "The bearer token was refused: \(description).",
            headers: [("WWW-Authenticate", #"Bearer realm="restgate", error="invalid_token", error_description="\#(description)""#)])
    }
}
