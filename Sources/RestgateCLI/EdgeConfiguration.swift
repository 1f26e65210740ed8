import ArgumentParser
import Dispatch
import Foundation
import Logging
import RestgateGateway
import RestgateRoutePlan
import RestgateRuntime
import RestgateStore
import RestgateTokens
import RestgateUpstream

/// Token verification, rate limits and breakers from the options and `RESTGATE_*`, and the
/// `EdgeSettings` the gateway runs them with.
struct EdgeConfiguration {
    struct Verification {
        var jwks: KeySet.Source?
        var keyFiles: [String] = []
        var hmacSecretFile: String?
        var policy = TokenPolicy()
    }

    /// By upstream name.
    var verification: [String: Verification] = [:]
    /// Nil: `--jwt-refusal-limit off`.
    var refusalLimit = RateLimitPolicy.parse("30/1m", name: "refused-tokens")
    var rateLimit: RateLimitPolicy?
    var rateLimitFailClosed = false
    var breaker = CircuitBreaker.Configuration()

    init(options: EdgeOptions, environment: Environment) throws {
        let values = environment.values
        var leeway: Int64 = 30
        if let text = options.jwtLeeway.map(String.init) ?? values["RESTGATE_JWT_LEEWAY"] {
            guard let seconds = Int64(text), (0...3600).contains(seconds) else {
                throw ValidationError("--jwt-leeway must be 0 to 3600 seconds; got \(text).")
            }
            leeway = seconds
        }
        for (name, text) in try Self.named("--jwt-jwks", options.jwtJwks, "RESTGATE_JWT_JWKS_", values) {
            if text.hasPrefix("file:") {
                verification[name, default: Verification()].jwks = .file(String(text.dropFirst("file:".count)))
            } else if let url = UpstreamURL(text), url.usesTLS {
                verification[name, default: Verification()].jwks = .url(url)
            } else {
                throw ValidationError("--jwt-jwks \(name): '\(text)' is neither an https:// URL nor file:/path.")
            }
        }
        for (name, file) in try Self.named("--jwt-key", options.jwtKey, "RESTGATE_JWT_KEY_", values) {
            verification[name, default: Verification()].keyFiles.append(file)
        }
        for (name, file) in try Self.named("--jwt-hmac-secret-file", options.jwtHmacSecretFile, "RESTGATE_JWT_HMAC_SECRET_FILE_", values) {
            verification[name, default: Verification()].hmacSecretFile = file
        }
        for (name, issuer) in try Self.named("--jwt-issuer", options.jwtIssuer, "RESTGATE_JWT_ISSUER_", values) {
            guard verification[name] != nil else {
                throw ValidationError("--jwt-issuer \(name): the upstream has no --jwt-jwks, --jwt-key or --jwt-hmac-secret-file.")
            }
            verification[name]?.policy.issuer = issuer
        }
        for (name, list) in try Self.named("--jwt-audience", options.jwtAudience, "RESTGATE_JWT_AUDIENCE_", values) {
            guard verification[name] != nil else {
                throw ValidationError("--jwt-audience \(name): the upstream has no --jwt-jwks, --jwt-key or --jwt-hmac-secret-file.")
            }
            verification[name]?.policy.audiences += list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        for name in verification.keys { verification[name]?.policy.leewaySeconds = leeway }
        if let text = options.jwtRefusalLimit ?? values["RESTGATE_JWT_REFUSAL_LIMIT"] {
            if text.lowercased() == "off" {
                refusalLimit = nil
            } else {
                guard let policy = RateLimitPolicy.parse(text, name: "refused-tokens") else {
                    throw ValidationError("--jwt-refusal-limit must be LIMIT/WINDOW, such as 30/1m, or off; got '\(text)'.")
                }
                refusalLimit = policy
            }
        }
        if let text = options.rateLimit ?? values["RESTGATE_RATE_LIMIT"] {
            guard let policy = RateLimitPolicy.parse(text) else {
                throw ValidationError("--rate-limit must be LIMIT/WINDOW, such as 600/1m (windows 1s to 1d); got '\(text)'.")
            }
            rateLimit = policy
        }
        rateLimitFailClosed =
            options.rateLimitFailClosed || ["1", "true", "yes"].contains(values["RESTGATE_RATE_LIMIT_FAIL_CLOSED"]?.lowercased() ?? "")
        if let text = options.breakerFailures.map(String.init) ?? values["RESTGATE_BREAKER_FAILURES"] {
            guard let count = Int(text), (0...1_000_000).contains(count) else {
                throw ValidationError("--breaker-failures must be 0 or more; got \(text).")
            }
            breaker.failures = count
        }
        if let text = options.breakerOpenSeconds.map({ String($0) }) ?? values["RESTGATE_BREAKER_OPEN_SECONDS"] {
            guard let seconds = Double(text), seconds >= 0.1, seconds <= 3600 else {
                throw ValidationError("--breaker-open-seconds must be 0.1 to 3600; got \(text).")
            }
            breaker.openDuration = .milliseconds(Int64(seconds * 1000))
        }
        if let text = options.breakerFailureRatio.map({ String($0) }) ?? values["RESTGATE_BREAKER_FAILURE_RATIO"] {
            guard let ratio = Double(text), ratio > 0, ratio <= 1 else {
                throw ValidationError("--breaker-failure-ratio must be over 0, at most 1; got \(text).")
            }
            breaker.failureRatio = ratio
        }
        if let text = options.breakerWindowSeconds.map({ String($0) }) ?? values["RESTGATE_BREAKER_WINDOW_SECONDS"] {
            guard let seconds = Double(text), seconds >= 1, seconds <= 3600 else {
                throw ValidationError("--breaker-window-seconds must be 1 to 3600; got \(text).")
            }
            breaker.window = .milliseconds(Int64(seconds * 1000))
        }
    }

    /// `NAME=VALUE` flags over `PREFIX<NAME>` variables, names lowercased.
    static func named(_ option: String, _ flags: [String], _ prefix: String, _ values: [String: String]) throws -> [(String, String)] {
        var result = values.filter { $0.key.hasPrefix(prefix) && $0.key.count > prefix.count }.map {
            (String($0.key.dropFirst(prefix.count)).lowercased(), $0.value)
        }.sorted { $0.0 < $1.0 }
        for flag in flags {
            let parts = flag.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ValidationError("\(option) takes NAME=VALUE, NAME an upstream; got '\(flag)'.")
            }
            result.append((parts[0].lowercased(), String(parts[1])))
        }
        return result
    }

    /// The gateway's edge settings: key sets loaded (files now, a JWKS on `keyLoop`), a
    /// breaker per upstream, the rate limits on `store`.
    func makeSettings(
        store: any SharedStore, upstreams: [String], tls: TLSConfiguration, logger: Logger
    ) throws -> (settings: EdgeSettings, keySets: [KeySet]) {
        var settings = EdgeSettings()
        var keySets: [KeySet] = []
        // A misspelt name would leave the real upstream's routes unverified: refuse it.
        for name in verification.keys.sorted() where !upstreams.contains(name) {
            throw ValidationError(
                "--jwt-* \(name): no such upstream; the routes' upstreams are \(upstreams.sorted().joined(separator: ", ")).")
        }
        let loop = verification.values.contains { $0.jwks != nil } ? try EventLoop.startDedicated(name: "restgate-jwks") : nil
        for (name, entry) in verification.sorted(by: { $0.key < $1.key }) {
            var fixed = VerificationKeys()
            for file in entry.keyFiles {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("--jwt-key \(name): cannot read '\(file)'.")
                }
                fixed = fixed.merged(
                    with: try Self.wait { () async throws(KeyLoader.Failure) in try await KeyLoader.load(fileContents: Array(data)) }
                        .mapError { ValidationError("--jwt-key \(name)=\(file): \($0.description).") }.get())
            }
            if let file = entry.hmacSecretFile {
                guard var secret = FileManager.default.contents(atPath: file).map(Array.init) else {
                    throw ValidationError("--jwt-hmac-secret-file \(name): cannot read '\(file)'.")
                }
                while let last = secret.last, last == 0x0A || last == 0x0D { secret.removeLast() }
                let copy = secret
                fixed = fixed.merged(
                    with: try Self.wait { () async throws(KeyLoader.Failure) in try await KeyLoader.hmac(secret: copy) }
                        .mapError { ValidationError("--jwt-hmac-secret-file \(name): \($0.description).") }.get())
            }
            let keys = try KeySet(upstream: name, fixed: fixed, source: entry.jwks, tls: tls, loop: loop) { message, isError in
                if isError {
                    logger.error("\(message)", metadata: ["upstream": .string(name)])
                } else {
                    logger.notice("\(message)", metadata: ["upstream": .string(name)])
                }
            }
            keySets.append(keys)
            settings.verifiers[name] = TokenVerifier(keys: keys, policy: entry.policy)
        }
        if !settings.verifiers.isEmpty, let refusalLimit { settings.refusalThrottle = RefusalThrottle(policy: refusalLimit) }
        settings.rateLimitStore = store
        settings.defaultRateLimit = rateLimit
        settings.rateLimitFailClosed = rateLimitFailClosed
        let limitedLog = RateLimitedLog()
        settings.onRateLimitStoreFailure = { error in
            guard limitedLog.shouldLog() else { return }
            logger.warning(
                "the rate-limit store failed: \(rateLimitFailClosed ? "refusing requests (503)" : "requests pass unlimited")",
                metadata: ["error": .string(error.description)])
        }
        if breaker.failures > 0 {
            for name in upstreams { settings.breakers[name] = CircuitBreaker(upstream: name, configuration: breaker) }
        }
        return (settings, keySets)
    }

    /// Runs `body` to its end from synchronous start-up code.
    static func wait<Value: Sendable, Failure: Error>(_ body: @escaping @Sendable () async throws(Failure) -> Value) -> Result<
        Value, Failure
    > {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<Value, Failure>()
        Task {
            do throws(Failure) {
                box.result = .success(try await body())
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return box.result!
    }

    /// `@unchecked Sendable`: written once by the task, read once after the semaphore that
    /// the task signals after the write.
    private final class ResultBox<Value: Sendable, Failure: Error>: @unchecked Sendable {
        var result: Result<Value, Failure>?
    }
}
