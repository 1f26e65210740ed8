public import RestgateHTTP

extension ProblemCode {
    public static let routeNotFound = ProblemCode(
        "ROUTE_NOT_FOUND", status: 404, title: "No such route",
        explanation: "No route of the gateway matches the request's path. GET /openapi.json lists the routes.")
    public static let methodNotAllowed = ProblemCode(
        "METHOD_NOT_ALLOWED", status: 405, title: "Method not allowed",
        explanation: "The path exists but not with this method. The Allow header lists the methods it takes.")

    /// Every code the gateway can answer with, for the pages at their `type` URIs.
    public static let catalogue: [ProblemCode] = [
        .malformedRequest, .requestTimeout, .payloadTooLarge, .uriTooLong, .headersTooLarge, .unsupportedMediaType,
        .expectationFailed, .notImplemented, .httpVersionNotSupported, .unavailable, .internalError, .routeNotFound,
        .methodNotAllowed, .unauthenticated,
    ]
}
