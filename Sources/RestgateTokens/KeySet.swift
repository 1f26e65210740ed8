import Foundation
public import RestgateRuntime
public import RestgateUpstream
import Synchronization

/// One upstream's verification keys: the fixed ones (PEM files, a JWKS file, the HMAC secret)
/// and, when configured, a JWKS fetched from a URL or re-read from a `file:` path, on a loop of
/// its own. The first fetch is retried until it succeeds (readiness waits for it); after
/// that the set is refreshed by the answer's `Cache-Control: max-age` (bounded to 5 min –
/// 24 h, 10 min without one) and at once for a token whose `kid` no key has, at most once a
/// minute. A failed refresh keeps the last good set and is reported (`lastError`, `failures`).
public final class KeySet: Sendable {
    public enum Source: Sendable, CustomStringConvertible {
        case url(UpstreamURL)
        case file(String)

        public var description: String {
            switch self {
            case .url(let url): url.description
            case .file(let path): "file:" + path
            }
        }
    }

    public let upstream: String
    public let source: Source?
    private let fixed: VerificationKeys
    private let client: UpstreamClient?
    private let loop: EventLoop?
    private let state: Mutex<State>
    private let timer: TimerBox
    private let log: @Sendable (_ message: String, _ isError: Bool) -> Void

    static let defaultInterval = 600
    static let intervalBounds = 300...86400
    static let unknownKidCooldown: Duration = .seconds(60)

    private struct State {
        var keys: VerificationKeys
        var generation = 0
        var loaded: Bool
        var lastError: String?
        var failures = 0
        var refreshing = false
        var waiters: [@Sendable () -> Void] = []
        var lastForced: Instant?
        var attempt = 0
        /// A hash of the last JWKS bytes loaded.
        var digest = 0
    }

    /// The refresh timer. `@unchecked Sendable`: it is read and written only on `loop`
    /// (`fetch` runs there, and so does every timer callback).
    private final class TimerBox: @unchecked Sendable {
        var timer: ScheduledTimer?
    }

    /// `loop` runs the fetches and timers (shared by every key set); needed with a `source`.
    public init(
        upstream: String, fixed: VerificationKeys, source: Source?, tls: TLSConfiguration, loop: EventLoop?,
        log: @escaping @Sendable (_ message: String, _ isError: Bool) -> Void
    ) throws(UpstreamError) {
        self.upstream = upstream
        self.fixed = fixed
        self.source = source
        self.loop = loop
        self.log = log
        if case .url(let url) = source {
            var configuration = UpstreamConfiguration()
            configuration.requestTimeout = .seconds(10)
            configuration.maxConnectionsPerLoop = 1
            configuration.maxResponseBytes = 1 << 20
            client = try UpstreamClient(name: "jwks-" + upstream, url: url, configuration: configuration, tls: tls)
        } else {
            client = nil
        }
        state = Mutex(State(keys: fixed, loaded: source == nil))
        timer = TimerBox()
    }

    /// Starts the first fetch; a set without a source is ready at once.
    public func start() {
        guard source != nil, let loop else { return }
        loop.execute { [self] in refresh() }
    }

    struct Snapshot {
        var keys: VerificationKeys
        var generation: Int
        var loaded: Bool
    }

    var snapshot: Snapshot {
        state.withLock { Snapshot(keys: $0.keys, generation: $0.generation, loaded: $0.loaded) }
    }

    /// What `/readyz` shows: loaded or not, how many keys, the kind of the last refresh's
    /// failure (unreachable, HTTP 404, invalid JWKS; the details are in the log).
    public var status: (loaded: Bool, keys: Int, lastError: String?, failures: Int) {
        state.withLock { ($0.loaded, $0.keys.count, $0.lastError, $0.failures) }
    }

    /// Refreshes now for a `kid` no key has, unless one such refresh started in the last
    /// minute, and waits for it; whether the set changed. A request that meets an unknown kid
    /// while a refresh is under way waits for that one, within the cooldown too.
    func refreshForUnknownKid() async -> Bool {
        guard source != nil, let loop else { return false }
        let now = loop.clock.now
        let before = state.withLock { $0.generation }
        let waited = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            enum Plan { case join, start, refuse }
            let plan = state.withLock { state -> Plan in
                if state.refreshing {
                    state.waiters.append { continuation.resume(returning: true) }
                    return .join
                }
                if let last = state.lastForced, now.duration(since: last) < Self.unknownKidCooldown { return .refuse }
                // Marked here, in the same lock, so no request between now and the fetch's
                // start finds neither a refresh to wait for nor one it may start.
                state.lastForced = now
                state.refreshing = true
                state.waiters.append { continuation.resume(returning: true) }
                return .start
            }
            switch plan {
            case .join: break
            case .start: loop.execute { [self] in fetch() }
            case .refuse: continuation.resume(returning: false)
            }
        }
        return waited && state.withLock { $0.generation } != before
    }

    /// The timer's refresh, on the loop: none when one is under way.
    private func refresh() {
        let start = state.withLock { state -> Bool in
            guard !state.refreshing else { return false }
            state.refreshing = true
            return true
        }
        if start { fetch() }
    }

    /// One fetch, on the loop, with `refreshing` set; schedules the next. A set whose bytes
    /// did not change keeps its generation, so the token cache survives a periodic refresh.
    private func fetch() {
        guard let loop else { return }
        timer.timer?.cancel()
        timer.timer = nil
        Task(executorPreference: loop) { [self] in
            var next = Duration.seconds(Self.defaultInterval)
            var loaded: (keys: VerificationKeys, digest: Int)?
            var failure: (kind: String, detail: String)?
            switch await download() {
            case .success(let (bytes, maxAge)):
                do {
                    loaded = (try await KeyLoader.jwks(bytes), bytes.hashValue)
                    next = .seconds(
                        min(max(maxAge ?? Self.defaultInterval, Self.intervalBounds.lowerBound), Self.intervalBounds.upperBound))
                } catch {
                    failure = ("invalid JWKS", "\(error)")
                }
            case .failure(let error):
                failure = (error.kind, error.description)
            }
            let (waiters, wasLoaded, attempt, changed) = state.withLock { state in
                var changed = false
                if let loaded {
                    if !state.loaded || state.digest != loaded.digest {
                        state.keys = fixed.merged(with: loaded.keys)
                        state.generation += 1
                        state.digest = loaded.digest
                        changed = true
                    }
                    state.loaded = true
                    state.lastError = nil
                    state.attempt = 0
                } else {
                    state.lastError = failure?.kind
                    state.failures += 1
                    state.attempt += 1
                }
                state.refreshing = false
                defer { state.waiters = [] }
                return (state.waiters, state.loaded, state.attempt, changed)
            }
            for waiter in waiters { waiter() }
            if let loaded {
                if changed {
                    let skipped = loaded.keys.skipped.isEmpty ? "" : "; skipped: " + loaded.keys.skipped.joined(separator: "; ")
                    log("JWKS loaded: \(loaded.keys.count) keys from \(source.map(String.init(describing:)) ?? "")\(skipped)", false)
                }
            } else {
                // Not loaded yet: retry soon, backing off to 30 s; loaded: keep the old set
                // and try again in a minute.
                next = wasLoaded ? .seconds(60) : .seconds(min(30, 1 << min(attempt - 1, 5)))
                log("JWKS refresh failed, \(wasLoaded ? "keeping the last good set" : "no keys yet"): \(failure?.detail ?? "")", true)
            }
            timer.timer = loop.schedule(after: next) { [self] in refresh() }
        }
    }

    /// The JWKS bytes and the answer's `max-age`, or why not.
    private func download() async -> Result<([UInt8], Int?), KeyLoader.Failure> {
        switch source {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                return .failure(KeyLoader.Failure(description: "cannot read \(path)", kind: "unreadable file"))
            }
            return .success((Array(data), nil))
        case .url(let url):
            guard let client, let loop else { return .failure(KeyLoader.Failure(description: "no client", kind: "no client")) }
            let request = UpstreamRequest(method: "GET", path: url.path, headers: [("Accept", "application/json")], isIdempotent: true)
            switch await client.send(request, on: loop) {
            case .failure(let error):
                return .failure(KeyLoader.Failure(description: "\(url): \(error)", kind: "unreachable"))
            case .success(let response):
                guard response.status == 200 else {
                    return .failure(
                        KeyLoader.Failure(description: "\(url) answered HTTP \(response.status)", kind: "HTTP \(response.status)"))
                }
                return .success((response.body, response.header("cache-control").flatMap(Self.maxAge)))
            }
        case nil:
            return .failure(KeyLoader.Failure(description: "no source", kind: "no source"))
        }
    }

    /// `max-age=N` of a Cache-Control value.
    static func maxAge(_ value: String) -> Int? {
        for directive in value.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].lowercased() == "max-age", let seconds = Int(parts[1].trimmingCharacters(in: ["\""])) {
                return seconds
            }
        }
        return nil
    }
}
