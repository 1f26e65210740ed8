import Foundation
import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

/// Turns what went wrong upstream into the gateway's problems (issue 4's error table).
/// GraphQL servers report errors with HTTP 200, sometimes beside data, so `errors` is
/// always read and never answered with 2xx.
enum UpstreamProblems {
    static let unauthenticatedCodes: Set<String> = ["AUTH_NOT_AUTHENTICATED", "UNAUTHENTICATED"]
    static let forbiddenCodes: Set<String> = ["AUTH_NOT_AUTHORIZED", "FORBIDDEN"]

    static func problem(for failure: GraphQLCallError, clientCursor: Bool = false, rules: [ErrorRule] = []) -> Problem {
        switch failure {
        case .transport(.timeout):
            return Problem(.upstreamTimeout, detail: "The upstream did not answer in time.")
        case .transport(.malformedResponse(let detail)):
            return Problem(.badUpstreamResponse, detail: "The upstream's answer was malformed: \(detail).")
        case .transport(.bodyTooLarge(let limit)):
            return Problem(.badUpstreamResponse, detail: "The upstream's answer was larger than \(limit) bytes.")
        case .transport(let error):
            return Problem(.upstreamUnavailable, detail: "The upstream is unavailable: \(error).")
        case .notJSON(let detail):
            return Problem(.badUpstreamResponse, detail: "The upstream answered with \(detail).")
        case .status(401, _):
            return unauthenticated("The upstream refused the token (HTTP 401).")
        case .status(403, _):
            return Problem(.forbidden, detail: "The upstream refused access (HTTP 403).")
        case .status(let status, _) where status >= 500:
            return Problem(.upstreamUnavailable, detail: "The upstream failed with HTTP \(status).")
        case .status(let status, let body):
            let errors = body?["errors"]?.array ?? []
            if !errors.isEmpty { return problem(forErrors: errors, clientCursor: clientCursor, rules: rules) }
            return Problem(.badUpstreamResponse, detail: "The upstream answered HTTP \(status) without GraphQL errors.")
        }
    }

    /// The problem for a GraphQL `errors` list, most decisive kind first.
    static func problem(forErrors errors: [JSONValue], clientCursor: Bool = false, rules: [ErrorRule] = []) -> Problem {
        let messages = errors.map { $0["message"]?.string ?? "Unknown upstream error" }
        let codes = errors.compactMap { $0["extensions"]?["code"]?.string }
        // The cursor is the client's (passed through untouched): when the upstream refuses
        // it, the client sent a bad one, whatever code the upstream uses for that.
        if clientCursor, codes.contains("INVALID_CURSOR") || messages.contains(where: { $0.lowercased().contains("cursor") }) {
            return Problem(
                .invalidRequest, detail: "The cursor is not one the upstream accepts.",
                errors: [
                    ProblemError(
                        message: messages.first { $0.lowercased().contains("cursor") } ?? messages[0], field: "cursor",
                        code: "INVALID_CURSOR")
                ])
        }
        if codes.contains(where: unauthenticatedCodes.contains) { return unauthenticated("The upstream refused the token: \(messages[0])") }
        if codes.contains(where: forbiddenCodes.contains) { return Problem(.forbidden, detail: messages[0]) }
        if codes.contains(where: { $0.hasPrefix("HC") || $0.hasPrefix("GRAPHQL_") }) {
            return Problem(
                .contractMismatch, detail: "The upstream rejected the gateway's GraphQL document.",
                errors: messages.map { ProblemError(message: $0, code: "UPSTREAM_GRAPHQL_ERROR") })
        }
        if let ruled = problem(errors, by: rules) { return ruled }
        return Problem(
            .upstreamRejected, detail: messages.count == 1 ? messages[0] : "The upstream refused the operation (\(messages.count) errors).",
            errors: zip(messages, errors).map { message, error in
                ProblemError(
                    message: message, path: error["path"]?.array?.compactMap { $0.string ?? numberText($0) }.joined(separator: "."),
                    code: "UPSTREAM_ERROR")
            })
    }

    /// The first rule that matches any error decides; with a `field`, every error it matches
    /// becomes one entry.
    private static func problem(_ errors: [JSONValue], by rules: [ErrorRule]) -> Problem? {
        for rule in rules {
            let matches = errors.compactMap { error -> (message: String, captures: [String])? in
                let message = error["message"]?.string ?? ""
                return rule.match(message: message, code: error["extensions"]?["code"]?.string).map { (message, $0) }
            }
            guard let first = matches.first else { continue }
            let members = rule.members.map { ($0.name, ErrorRule.fill($0.template, first.captures)) }
            let entries =
                rule.field == nil
                ? [ProblemError(message: first.message, code: rule.problem.name)]
                : matches.map {
                    // Captured GraphQL paths (`contactPerson.email`) become JSON pointer steps.
                    ProblemError(
                        message: $0.message,
                        field: ErrorRule.fill(rule.field!, $0.captures.map { $0.replacingOccurrences(of: ".", with: "/") }),
                        code: rule.problem.name)
                }
            let headers = rule.retryAfterSeconds.map { [("Retry-After", String($0))] } ?? []
            let detail = matches.count == 1 ? first.message : "\(rule.problem.title): \(matches.count) upstream errors."
            return Problem(rule.problem, detail: detail, errors: entries, members: members, headers: headers)
        }
        return nil
    }

    static func unauthenticated(_ detail: String) -> Problem {
        Problem(.unauthenticated, detail: detail, headers: [("WWW-Authenticate", #"Bearer realm="restgate", error="invalid_token""#)])
    }

    private static func numberText(_ value: JSONValue) -> String? {
        if case .number(let text) = value { return text }
        return nil
    }
}
