import RestgateGzip
import RestgateHTTP
import RestgateJSON
public import RestgateRuntime
import Synchronization

/// Probes each upstream every `interval` from a loop of its own and keeps the outcome for
/// `/readyz`: reachable means an HTTP answer below 500 came back in time.
public final class UpstreamMonitor: Sendable {
    public struct Target: Sendable {
        public var name: String
        public var url: UpstreamURL
        public var tls: TLSConfiguration
        /// Served by the in-process sandbox rather than configured.
        public var isSandbox: Bool

        public init(name: String, url: UpstreamURL, tls: TLSConfiguration = TLSConfiguration(), isSandbox: Bool = false) {
            self.name = name
            self.url = url
            self.tls = tls
            self.isSandbox = isSandbox
        }
    }

    public struct Status: Sendable {
        public var name: String
        public var url: UpstreamURL
        public var isSandbox: Bool
        /// nil until the first probe has finished.
        public var isReachable: Bool?
        /// What went wrong in a few words (`connection refused`, `timeout`, `TLS`, `HTTP 503`):
        /// safe to show anyone.
        public var failureKind: String?
        /// The whole story, addresses included: for the log only.
        public var lastError: String?
    }

    private let probes: [(target: Target, client: UpstreamClient)]
    private let state: Mutex<[String: Status]>
    private let interval: Duration
    private let loop: EventLoop
    private let onChange: (@Sendable (Status) -> Void)?

    /// Probes use their own short-timeout clients, so a slow upstream is reported quickly
    /// and never holds a connection a request could use.
    /// `onChange` hears of each upstream whose reachability or kind of failure changed.
    public init(
        targets: [Target], interval: Duration = .seconds(5), timeout: Duration = .seconds(5),
        clock: any MonotonicClock = SystemClock(), onChange: (@Sendable (Status) -> Void)? = nil
    ) throws {
        self.onChange = onChange
        var configuration = UpstreamConfiguration()
        configuration.requestTimeout = timeout
        configuration.connectTimeout = min(timeout, .seconds(2))
        configuration.maxConnectionsPerLoop = 2
        probes = try targets.map { target in
            (target, try UpstreamClient(name: target.name, url: target.url, configuration: configuration, tls: target.tls))
        }
        state = Mutex(
            Dictionary(
                uniqueKeysWithValues: targets.map {
                    ($0.name, Status(name: $0.name, url: $0.url, isSandbox: $0.isSandbox, isReachable: nil, lastError: nil))
                }))
        self.interval = interval
        loop = try EventLoop.startDedicated(name: "restgate-probe", clock: clock)
    }

    public var statuses: [Status] {
        state.withLock { $0.values.sorted { $0.name < $1.name } }
    }

    /// Whether every upstream answered its last probe.
    public var allReachable: Bool { statuses.allSatisfy { $0.isReachable == true } }

    public func start() {
        loop.execute { [self] in probeAll() }
    }

    /// How many rounds of probes have started.
    package var rounds: Int { startedRounds.load(ordering: .relaxed) }
    private let startedRounds = Atomic<Int>(0)

    private func probeAll() {
        startedRounds.add(1, ordering: .relaxed)
        let loop = self.loop
        for (target, client) in probes {
            let request = UpstreamRequest(
                path: target.url.path, headers: [("Content-Type", "application/json")], body: Array(#"{"query":"{ __typename }"}"#.utf8),
                isIdempotent: true)
            Task(executorPreference: loop) { [self] in
                let result = await client.send(request, on: loop)
                record(target.name, result)
            }
        }
        loop.schedule(after: interval) { [self] in probeAll() }
    }

    private func record(_ name: String, _ result: Result<UpstreamResponse, UpstreamError>) {
        let changed = state.withLock { statuses -> Status? in
            guard var status = statuses[name] else { return nil }
            let before = (status.isReachable, status.failureKind)
            switch result {
            case .success(let response) where response.status < 500:
                status.isReachable = true
                status.failureKind = nil
                status.lastError = nil
            case .success(let response):
                status.isReachable = false
                status.failureKind = "HTTP \(response.status)"
                status.lastError = "HTTP \(response.status)"
            case .failure(let error):
                status.isReachable = false
                status.failureKind = error.kind
                status.lastError = error.description
            }
            statuses[name] = status
            return before == (status.isReachable, status.failureKind) ? nil : status
        }
        if let changed { onChange?(changed) }
    }
}
