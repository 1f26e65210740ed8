public import RestgateMetrics
import Synchronization

/// What the live schema check found for each upstream checked against its live schema
/// (`--schema-source NAME=introspect`): the routes that no longer fit it, or why the check
/// could not run. `/readyz` and the metrics read it; it makes the gateway unready only when
/// `notReady` says so, since the other routes still work.
public final class SchemaDrift: Sendable {
    public struct Status: Sendable, Equatable {
        /// Route ids that do not fit the live schema.
        public var drifted: [String] = []
        /// The kind of the last check's failure (unreachable, refused, HTTP 401), nil when it ran.
        public var lastError: String?
        public var checked = false

        public init() {}
    }

    /// Whether drift makes `/readyz` answer 503 (`--drift-not-ready`).
    public let notReady: Bool
    private let statuses: Mutex<[String: Status]>

    public init(upstreams: [String], notReady: Bool) {
        self.notReady = notReady
        statuses = Mutex(Dictionary(uniqueKeysWithValues: upstreams.map { ($0, Status()) }))
    }

    public var current: [String: Status] { statuses.withLock { $0 } }

    public func update(_ upstream: String, _ status: Status) {
        statuses.withLock { $0[upstream] = status }
    }

    /// `restgate_schema_drift_routes{upstream}`.
    public var figures: [ScrapeFigure] {
        current.sorted { $0.key < $1.key }.map { name, status in
            ScrapeFigure(
                .gauge, "restgate_schema_drift_routes", help: "Routes that do not fit their upstream's live schema (introspection).",
                labels: [("upstream", name)], value: status.drifted.count)
        }
    }
}
