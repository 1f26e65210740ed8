public import RestgateJSON

extension ProblemCode {
    public static let unauthenticated = ProblemCode(
        "UNAUTHENTICATED", status: 401, title: "Authentication required",
        explanation: "The route needs 'Authorization: Bearer <JWT>' (a token from POST /auth/token), or the upstream refused the token.")
    public static let routeNotFound = ProblemCode(
        "ROUTE_NOT_FOUND", status: 404, title: "No such route",
        explanation: "No route of the gateway matches the request's path. GET /openapi.json lists the routes.")
    public static let methodNotAllowed = ProblemCode(
        "METHOD_NOT_ALLOWED", status: 405, title: "Method not allowed",
        explanation: "The path exists but not with this method. The Allow header lists the methods it takes.")

    public static let invalidRequest = ProblemCode(
        "INVALID_REQUEST", status: 400, title: "Invalid request",
        explanation:
            "The body, a query parameter or a path parameter is wrong. Each entry of 'errors' names one problem; 'field' is a JSON pointer into the body or the parameter's name."
    )
    public static let forbidden = ProblemCode(
        "FORBIDDEN", status: 403, title: "Forbidden", explanation: "The upstream refused the token for this resource.")
    public static let notFound = ProblemCode(
        "NOT_FOUND", status: 404, title: "Not found", explanation: "The resource does not exist, or the token may not see it.")
    public static let upstreamRejected = ProblemCode(
        "UPSTREAM_REJECTED", status: 422, title: "Rejected by the upstream",
        explanation: "The upstream refused the operation under one of its business rules; 'errors' carries its messages.")
    public static let contractMismatch = ProblemCode(
        "UPSTREAM_CONTRACT_MISMATCH", status: 502, title: "Gateway and upstream disagree",
        explanation:
            "The upstream rejected the gateway's GraphQL document: the route file does not fit the live schema. This is the gateway's fault; operators are alerted by the log."
    )
    public static let upstreamUnavailable = ProblemCode(
        "UPSTREAM_UNAVAILABLE", status: 502, title: "Upstream unavailable",
        explanation: "The upstream could not be reached, closed the connection, or answered with a server error.")
    public static let badUpstreamResponse = ProblemCode(
        "BAD_UPSTREAM_RESPONSE", status: 502, title: "Bad upstream response",
        explanation: "The upstream's answer was empty, not JSON, or not a GraphQL response.")
    public static let upstreamTimeout = ProblemCode(
        "UPSTREAM_TIMEOUT", status: 504, title: "Upstream timeout", explanation: "The upstream did not answer in time.")

    public static let idempotencyKeyRequired = ProblemCode(
        "IDEMPOTENCY_KEY_REQUIRED", status: 400, title: "Idempotency-Key required",
        explanation: "The route changes data and requires an 'Idempotency-Key' header, so that a retry of this request is recognised.")
    public static let idempotencyKeyInUse = ProblemCode(
        "IDEMPOTENCY_KEY_IN_USE", status: 409, title: "The first request with this key is still running",
        explanation: "A request with the same Idempotency-Key is still being handled. Retry after the number of seconds in Retry-After.")
    public static let idempotencyKeyReused = ProblemCode(
        "IDEMPOTENCY_KEY_REUSED", status: 422, title: "Idempotency-Key reused for another request",
        explanation:
            "The Idempotency-Key was used before with another method, path or body. A key stands for one request: use a new key for a new request."
    )
    public static let idempotencyOutcomeUnknown = ProblemCode(
        "IDEMPOTENCY_OUTCOME_UNKNOWN", status: 409, title: "The first request's outcome is unknown",
        explanation:
            "The first request with this Idempotency-Key reached the upstream, but no answer came back (a timeout or a broken connection), so it may or may not have taken effect. The gateway never sends it again under this key: read the resource to see whether it did, and retry with a new key only if it did not."
    )
    public static let storeUnavailable = ProblemCode(
        "STORE_UNAVAILABLE", status: 503, title: "Shared store unavailable",
        explanation:
            "The store that records Idempotency-Keys (or, with --rate-limit-fail-closed, rate limits) cannot be reached, so the request was not run: it would have run unprotected. Retry after the number of seconds in Retry-After."
    )
    public static let rateLimited = ProblemCode(
        "RATE_LIMITED", status: 429, title: "Rate limit exceeded",
        explanation:
            "The client sent more requests than its rate limit allows (RateLimit-Policy names the limit), or its address sent more refused tokens than --jwt-refusal-limit allows, so new tokens from it are not checked for a while. Retry after the number of seconds in Retry-After."
    )

    /// Every code the gateway itself can answer with; a route file adds its own (`problems:`).
    public static let catalogue: [ProblemCode] = [
        .malformedRequest, .requestTimeout, .payloadTooLarge, .uriTooLong, .headersTooLarge, .unsupportedMediaType,
        .expectationFailed, .notImplemented, .httpVersionNotSupported, .unavailable, .internalError, .routeNotFound,
        .methodNotAllowed, .unauthenticated, .invalidRequest, .forbidden, .notFound,
        .upstreamRejected, .contractMismatch, .upstreamUnavailable, .badUpstreamResponse, .upstreamTimeout,
        .idempotencyKeyRequired, .idempotencyKeyInUse, .idempotencyKeyReused, .idempotencyOutcomeUnknown, .storeUnavailable, .rateLimited,
    ]
}

extension ProblemCode {
    /// The gateway's own codes, then those the routes' error rules answer with (the route
    /// file's), each once: what the problem pages serve and the OpenAPI document lists.
    package static func all(answeredBy routes: [CompiledRoute]) -> [ProblemCode] {
        var codes = catalogue
        for rule in routes.flatMap(\.errorRules) where !codes.contains(rule.problem) { codes.append(rule.problem) }
        return codes
    }
}
