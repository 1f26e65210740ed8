import Foundation
import Logging
import RestgateConfiguration
import RestgateGateway
import RestgateMetrics
import RestgateRoutePlan
import Synchronization

/// Reloads the route table on SIGHUP (and, with `--watch-routes`, on a change of the route
/// file or a schema file): reads the files again, validates them exactly as at start-up (in
/// the helper), and swaps the gateway's table only when all of it is good. A file that does
/// not validate changes nothing: the old table keeps serving and the log says why.
final class RouteReloader: Sendable {
    private let routesFile: String?
    private let schemaFiles: [String: String]
    private let responder: GatewayResponder
    private let logger: Logger
    /// Refuses a plan the process cannot serve (a claim without verification), with why.
    private let accepts: @Sendable (RoutePlan) -> String?
    private let current: CurrentRoutes
    private let metrics: GatewayMetrics?
    private let succeeded = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)

    init(
        routesFile: String?, schemaFiles: [String: String], responder: GatewayResponder, logger: Logger, current: CurrentRoutes,
        metrics: GatewayMetrics?, accepts: @escaping @Sendable (RoutePlan) -> String?
    ) {
        self.current = current
        self.metrics = metrics
        self.routesFile = routesFile
        self.schemaFiles = schemaFiles
        self.responder = responder
        self.logger = logger
        self.accepts = accepts
    }

    /// `restgate_route_reloads_total{result}`.
    var figures: [ScrapeFigure] {
        let help = "Route table reloads (SIGHUP, --watch-routes) by result; a failed one changed nothing."
        return [
            ScrapeFigure(
                .counter, "restgate_route_reloads", help: help, labels: [("result", "success")], value: succeeded.load(ordering: .relaxed)),
            ScrapeFigure(
                .counter, "restgate_route_reloads", help: help, labels: [("result", "failure")], value: failed.load(ordering: .relaxed)),
        ]
    }

    /// Runs on the main thread, between signals.
    func reload(because reason: String) {
        let file = routesFile ?? "built-in"
        var metadata: Logger.Metadata = ["reason": .string(reason), "file": .string(file)]
        do {
            let yaml = try routesFile.map { try Settings.read($0, option: "--routes") } ?? BuiltInConfiguration.routesYAML
            var overrides: [String: String] = [:]
            for (name, path) in schemaFiles { overrides[name] = try Settings.read(path, option: "--schema \(name)") }
            let input = RoutePlan.Input(routesYAML: yaml, schemaOverrides: overrides)
            let plan = try RouteCompiler.plan(for: input, logger: logger)
            if let refusal = accepts(plan) { throw RouteReloadRefusal(description: refusal) }
            responder.reload(routes: plan.routes, openAPI: plan.openAPI)
            current.value = input
            metrics?.setRouteTable(RouteTableInfo(source: file, hash: Digest.sha256Hex(Array(yaml.utf8)), count: plan.routes.count))
            succeeded.add(1, ordering: .relaxed)
            metadata["routes"] = .stringConvertible(plan.routes.count)
            logger.notice("routes reloaded", metadata: metadata)
        } catch {
            failed.add(1, ordering: .relaxed)
            metadata["error"] = .string("\(error)")
            logger.error("route reload refused: the old routes keep serving", metadata: metadata)
        }
    }
}
