import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateStore
import RestgateTokens

/// Makes a retried mutation safe: the first request with an `Idempotency-Key` reserves it, runs,
/// and leaves the answer the upstream decided for `ttl`; a retry with the same key and request
/// gets that answer again (`Idempotent-Replayed: true`) and the upstream is not called. The
/// route stage closest to the executor, so every check before it runs again on a retry.
///
/// A request refused before the upstream call (its input, a connect that never happened)
/// releases its key, so the client can fix it and retry with the same key. A call that reached
/// the upstream with no usable answer is remembered as unknown: the key is never sent again,
/// and a retry learns why and what to do (`IDEMPOTENCY_OUTCOME_UNKNOWN`).
struct IdempotencyStage: RouteStage {
    let store: any SharedStore
    let ttl: Duration
    /// How long a reservation counts as a request still running: past it (the replica died
    /// mid-request) the outcome is unknown. The upstream deadline and a margin.
    let lease: Duration

    /// The header is ignored on a `GET` (and on its `HEAD`), so those routes skip the stage.
    func applies(to route: CompiledRoute) -> Bool {
        route.definition.idempotency != .off && route.definition.method != .get && route.definition.method != .head
    }

    func respond(to call: RouteCall, next: RouteChain) async throws(Problem) -> HTTPResponse {
        let mode = call.route.definition.idempotency
        let method = call.request.method
        guard mode != .off, method != .get, method != .head else { return try await next(call) }
        let (header, count) = call.request.headers.sole("idempotency-key")
        guard count > 0 else {
            guard mode != .required else {
                throw Problem(
                    .idempotencyKeyRequired, detail: "\(method) \(call.route.definition.path) needs an 'Idempotency-Key' header.")
            }
            return try await next(call)
        }
        guard count == 1, let key = header.flatMap(IdempotencyKey.parse) else {
            throw Problem(
                .invalidRequest, detail: "The Idempotency-Key header must be one key of 1 to 255 printable ASCII characters.",
                errors: [
                    ProblemError(
                        message:
                            "Idempotency-Key must be a quoted string or a bare token of 1 to 255 printable ASCII characters, sent once.",
                        field: "Idempotency-Key", code: "INVALID_IDEMPOTENCY_KEY")
                ])
        }
        var hasher = SHA256Hasher()
        let storeKey = Self.storeKey(call: call, key: key, hasher: &hasher)
        // Parsed once here and handed to the executor, which would parse it again otherwise.
        let parsed = call.request.body.isEmpty ? nil : try? JSONParser.parse(call.request.body)
        let fingerprint = IdempotencyRecord.fingerprint(
            method: method.rawValue, path: call.request.path, body: call.request.body, parsed: parsed, hasher: &hasher)
        let now = WallClock.nanosecondsSinceEpoch() / 1_000_000
        let leaseMilliseconds = UInt64(max(0, lease.components.seconds * 1000))
        let running = IdempotencyRecord(
            fingerprint: fingerprint, state: .running(leaseUntilMilliseconds: now + leaseMilliseconds, owner: ReservationOwner.next())
        ).encoded
        let reservation: StoreReservation
        do {
            reservation = try await store.reserve(storeKey, value: running, ttl: ttl)
        } catch {
            throw Problem(
                .storeUnavailable, detail: "The idempotency store (\(store.kind)) did not answer: \(error.description).",
                headers: [("Retry-After", "1")])
        }
        if case .existing(let bytes) = reservation {
            return try Self.answerRetry(bytes, fingerprint: fingerprint, now: now)
        }
        let outcome = call.upstreamOutcome ?? UpstreamOutcome()
        var marked = call
        marked.upstreamOutcome = outcome
        marked.parsedBody = parsed
        var response: HTTPResponse
        var thrown: Problem?
        do {
            response = try await next(marked)
        } catch {
            thrown = error
            response = error.response(requestID: call.request.requestID, instance: call.request.path)
        }
        // A store failure here leaves the reservation to its lease: a retry then hears that
        // the outcome is unknown, never a second send.
        switch outcome.state {
        case .notCalled:
            _ = try? await store.remove(storeKey, expected: running)
        case .decided:
            // The reservation is this request's own: only `SET NX` gave it, no other request
            // writes a live key, and it lives for the whole TTL, far past the lease. So the
            // answer overwrites it without comparing (on Redis a plain `SET XX`, not a script).
            _ = try? await store.overwrite(
                storeKey, with: IdempotencyRecord.encodedAnswer(response, fingerprint: fingerprint), ttl: ttl)
        case .unknown:
            _ = try? await store.replace(
                storeKey, expected: running, with: IdempotencyRecord(fingerprint: fingerprint, state: .unknown).encoded, ttl: ttl)
        }
        if let thrown { throw thrown }
        return response
    }

    private static func answerRetry(_ bytes: [UInt8], fingerprint: [UInt8], now: UInt64) throws(Problem) -> HTTPResponse {
        guard let record = IdempotencyRecord(decoding: bytes) else {
            throw Problem(.internalError, detail: "The idempotency store holds a record this gateway cannot read.")
        }
        guard record.fingerprint == fingerprint else {
            throw Problem(
                .idempotencyKeyReused, detail: "This Idempotency-Key was used for a request with another method, path or body.")
        }
        switch record.state {
        case .answered:
            return record.replay()!
        case .running(let leaseUntil, _) where leaseUntil > now:
            throw Problem(
                .idempotencyKeyInUse, detail: "The first request with this Idempotency-Key is still running.",
                headers: [("Retry-After", "1")])
        case .running, .unknown:
            throw Problem(
                .idempotencyOutcomeUnknown,
                detail:
                    "The first request with this Idempotency-Key reached the upstream and its outcome is unknown; it is not sent again. Read the resource to see whether it took effect, and retry with a new key only if it did not."
            )
        }
    }

    /// One client (its bearer token), one route, one key, hashed: a client can never see
    /// another's answer, and the token itself is never stored.
    static func storeKey(call: RouteCall, key: String, hasher: inout SHA256Hasher) -> StoreKey {
        // The verified client (its subject, qualified by its issuer unless one is pinned) when
        // verification is on, so a client's new token keeps its keys; else the token itself.
        if let client = call.token?.client {
            hasher.update("sub:")
            hasher.update(client)
        } else if let token = call.request.headers["authorization"].flatMap(BearerToken.token(in:)) {
            hasher.update(token)
        }
        hasher.update(byte: 0)
        hasher.update(call.route.definition.id)
        hasher.update(byte: 0)
        hasher.update(key)
        return StoreKey(namespace: "idempotency", digest: hasher.finish())
    }
}
