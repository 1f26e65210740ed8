import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateServer
import RestgateStore
import RestgateTokens
import RestgateUpstream

/// `/readyz`: ready when not draining, every upstream answered its last probe and every
/// upstream's verification keys are loaded. The body lists each upstream either way, with the
/// kind of failure, so an operator sees which one is down and why; addresses and error
/// details stay in the log, away from whoever asks.
enum Readiness {
    static func answer(
        lifecycle: ServerLifecycle, upstreams: UpstreamMonitor?, retryAfterSeconds: Int, store: (any SharedStore)?, edge: EdgeSettings,
        drift: SchemaDrift? = nil
    ) throws(Problem) -> HTTPResponse {
        let retry = [("Retry-After", String(retryAfterSeconds))]
        guard !lifecycle.isDraining else {
            throw Problem(.unavailable, detail: "The gateway is draining and takes no new work.", headers: retry)
        }
        let statuses = upstreams?.statuses ?? []
        var errors = statuses.filter { $0.isReachable != true }.map { status in
            ProblemError(
                message: "\(status.name): \(status.isReachable == nil ? "not checked yet" : status.failureKind ?? "unreachable")",
                path: status.name, code: "UPSTREAM_UNREACHABLE")
        }
        let verifiers = edge.verifiers.sorted { $0.key < $1.key }
        for (name, verifier) in verifiers where !verifier.keys.status.loaded {
            errors.append(
                ProblemError(message: "\(name): the token verification keys are not loaded yet", path: name, code: "TOKEN_KEYS_UNAVAILABLE")
            )
        }
        let schemas = drift?.current.sorted { $0.key < $1.key } ?? []
        if let drift, drift.notReady {
            for (name, status) in schemas where !status.drifted.isEmpty {
                errors.append(
                    ProblemError(
                        message: "\(name): routes that do not fit the live schema: \(status.drifted.joined(separator: ", "))", path: name,
                        code: "SCHEMA_DRIFT"))
            }
        }
        guard errors.isEmpty else {
            let names = Set(errors.compactMap(\.path)).sorted().joined(separator: ", ")
            let upstreamsOnly = errors.allSatisfy { $0.code == "UPSTREAM_UNREACHABLE" }
            throw Problem(
                .unavailable, detail: upstreamsOnly ? "Upstream not reachable: \(names)." : "Not ready: \(names).", errors: errors,
                headers: retry)
        }
        var json = JSONWriter()
        json.beginObject()
        json.member("status", "ready")
        json.key("upstreams")
        json.beginObject()
        for status in statuses {
            json.key(status.name)
            json.beginObject()
            json.key("reachable")
            json.bool(true)
            json.key("sandbox")
            json.bool(status.isSandbox)
            if let breaker = edge.breakers[status.name] { json.member("circuitBreaker", breaker.phase.name) }
            json.endObject()
        }
        json.endObject()
        if !verifiers.isEmpty {
            json.key("tokens")
            json.beginObject()
            for (name, verifier) in verifiers {
                let keys = verifier.keys.status
                json.key(name)
                json.beginObject()
                json.member("keys", keys.keys)
                json.member("refreshFailures", keys.failures)
                if let error = keys.lastError { json.member("lastError", error) }
                json.endObject()
            }
            json.endObject()
        }
        if !schemas.isEmpty {
            json.key("schemas")
            json.beginObject()
            for (name, status) in schemas {
                json.key(name)
                json.beginObject()
                json.member("source", "introspect")
                json.key("checked")
                json.bool(status.checked)
                json.key("drift")
                json.beginArray()
                for route in status.drifted { json.string(route) }
                json.endArray()
                if let error = status.lastError { json.member("lastError", error) }
                json.endObject()
            }
            json.endObject()
        }
        // The store does not make the gateway unready: requests without a key still work, and
        // keyed ones get 503 STORE_UNAVAILABLE while it is down.
        if let store = store ?? edge.rateLimitStore {
            json.key("store")
            json.beginObject()
            json.member("kind", store.kind)
            json.key("available")
            json.bool(store.isAvailable)
            json.endObject()
        }
        json.endObject()
        return HTTPResponse.json(200, json.bytes)
    }
}
