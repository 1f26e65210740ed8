import ArgumentParser
import Foundation
import Logging
import RestgateGateway
import RestgateRoutePlan
import RestgateRuntime
import RestgateUpstream
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `--schema-source NAME=introspect`: at start and every `--schema-check-interval`, asks each
/// such upstream for its live schema and checks the routes in use against it in the route
/// compiler helper. A route that no longer fits is drift: a critical line naming the route,
/// the field and the upstream, `restgate_schema_drift_routes{upstream}` and `/readyz` (`SchemaDrift`).
/// A check that cannot run (refused, unreachable) is reported and changes nothing.
final class SchemaDriftMonitor: Sendable {
    struct Source: Sendable {
        var name: String
        var client: UpstreamClient
        var headers: [(String, String)]
    }

    let drift: SchemaDrift
    private let sources: [Source]
    private let interval: Duration
    private let logger: Logger
    /// The route file and schema overrides in use now (a reload changes them).
    private let routes: @Sendable () -> RoutePlan.Input
    private let loop: EventLoop

    /// The monitor the options ask for; nil when no upstream's schema is checked live.
    static func make(
        options: SchemaSourceOptions, environment: Environment, targets: [UpstreamMonitor.Target], logger: Logger,
        routes: @escaping @Sendable () -> RoutePlan.Input
    ) throws -> SchemaDriftMonitor? {
        let values = environment.values
        var names: [String] = []
        for (name, source) in try EdgeConfiguration.named("--schema-source", options.schemaSource, "RESTGATE_SCHEMA_SOURCE_", values) {
            guard source == "introspect" else {
                throw ValidationError("--schema-source \(name): the one source is 'introspect'; got '\(source)'.")
            }
            names.append(name)
        }
        guard !names.isEmpty else { return nil }
        var headers: [String: [(String, String)]] = [:]
        for (name, text) in try EdgeConfiguration.named(
            "--introspection-header", options.introspectionHeader, "RESTGATE_INTROSPECTION_HEADER_", values)
        {
            let field = text.split(separator: ":", maxSplits: 1)
            guard field.count == 2, !field[0].isEmpty else { throw ValidationError("--introspection-header \(name) takes HEADER:VALUE.") }
            headers[name, default: []].append((String(field[0]), field[1].trimmingCharacters(in: .whitespaces)))
        }
        var interval = Duration.seconds(600)
        if let text = options.schemaCheckInterval.map({ String($0) }) ?? values["RESTGATE_SCHEMA_CHECK_INTERVAL"] {
            guard let seconds = Double(text), seconds >= 1, seconds <= 86400 else {
                throw ValidationError("--schema-check-interval must be 1 to 86400 seconds; got \(text).")
            }
            interval = .milliseconds(Int64(seconds * 1000))
        }
        var sources: [Source] = []
        for name in Set(names).sorted() {
            guard let target = targets.first(where: { $0.name == name }) else {
                throw ValidationError(
                    "--schema-source \(name): no such upstream; known: \(targets.map(\.name).sorted().joined(separator: ", ")).")
            }
            var configuration = UpstreamConfiguration()
            configuration.maxConnectionsPerLoop = 1
            configuration.requestTimeout = .seconds(15)
            let client = try UpstreamClient(name: "schema-" + name, url: target.url, configuration: configuration, tls: target.tls)
            sources.append(Source(name: name, client: client, headers: headers[name] ?? []))
        }
        let notReady = options.driftNotReady || ["1", "true", "yes"].contains(values["RESTGATE_DRIFT_NOT_READY"]?.lowercased() ?? "")
        return try SchemaDriftMonitor(
            sources: sources, drift: SchemaDrift(upstreams: sources.map(\.name), notReady: notReady), interval: interval, logger: logger,
            routes: routes)
    }

    private init(
        sources: [Source], drift: SchemaDrift, interval: Duration, logger: Logger, routes: @escaping @Sendable () -> RoutePlan.Input
    )
        throws
    {
        self.sources = sources
        self.drift = drift
        self.interval = interval
        self.logger = logger
        self.routes = routes
        loop = try EventLoop.startDedicated(name: "restgate-schema")
    }

    /// Checks every upstream now; whether each check ran (its introspection answered).
    @discardableResult
    func checkAll() -> Bool {
        var ran = true
        for source in sources { ran = check(source) && ran }
        return ran
    }

    /// Checks again every `interval`, on a thread of its own.
    func start() {
        let seconds = UInt32(max(1, interval.components.seconds))
        _ = EventLoop.spawnThread(name: "restgate-drift") { [self] in
            while true {
                sleep(seconds)
                checkAll()
            }
        }
    }

    private func check(_ source: Source) -> Bool {
        let loop = self.loop
        let metadata: Logger.Metadata = ["upstream": .string(source.name), "url": .string(source.client.url.description)]
        var status = drift.current[source.name] ?? SchemaDrift.Status()
        let fetched = EdgeConfiguration.wait { () async -> Result<String, SchemaIntrospection.Failure> in
            await SchemaIntrospection.sdl(client: source.client, headers: source.headers, loop: loop)
        }
        let sdl: String
        switch fetched {
        case .failure(let never): switch never {}
        case .success(.failure(let error)):
            status.lastError = error.kind
            drift.update(source.name, status)
            logger.warning(
                "the live schema could not be read: routes stay as checked before",
                metadata: metadata.merging(["error": .string(error.description)]) { $1 })
            return false
        case .success(.success(let text)): sdl = text
        }
        var input = routes()
        input.schemaOverrides[source.name] = sdl
        let problems: [RoutePlan.Problem]
        do {
            problems = try RouteCompiler.problems(for: input, logger: logger).filter { $0.upstream == source.name }
        } catch {
            status.lastError = "check failed"
            drift.update(source.name, status)
            logger.error("the live schema check failed", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
            return false
        }
        let drifted = problems.compactMap(\.route)
        for problem in problems where !status.drifted.contains(problem.route ?? "") {
            logger.critical(
                "schema drift: a route no longer fits its upstream's live schema",
                metadata: metadata.merging([
                    "route": .string(problem.route ?? "?"), "line": .stringConvertible(problem.line), "problem": .string(problem.message),
                ]) { $1 })
        }
        if drifted.isEmpty, !status.drifted.isEmpty {
            logger.notice("schema drift resolved: every route fits the live schema", metadata: metadata)
        }
        status = SchemaDrift.Status()
        status.drifted = drifted
        status.checked = true
        drift.update(source.name, status)
        return true
    }
}
