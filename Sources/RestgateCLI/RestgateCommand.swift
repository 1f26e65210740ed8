import ArgumentParser
import Logging
import RestgateGateway
import RestgateHTTP
import RestgateJSON
import RestgateMetrics
import RestgateRedis
import RestgateRouteCompiler
import RestgateRoutePlan
import RestgateRuntime
import RestgateSandbox
import RestgateServer
import RestgateStore
import RestgateTokens
import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

struct RestgateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restgate",
        abstract: "A REST-to-GraphQL gateway.",
        discussion: """
            Every option can also be set by an environment variable named RESTGATE_ and the option's name \
            in capitals with underscores (--max-body-bytes is RESTGATE_MAX_BODY_BYTES). An option on the \
            command line wins over its variable. Durations are in seconds.

            An upstream without a URL (--upstream or RESTGATE_UPSTREAM_<NAME>_URL) is served by the \
            built-in sandbox, started in the same process on loopback; --require-upstreams makes a \
            missing URL a start-up error instead.

            `restgate sandbox [--port P]` runs the sandbox alone (see `restgate sandbox --help`); \
            `restgate openapi` prints the OpenAPI document of the routes; `restgate check` validates a route \
            file; `restgate schema pull` prints a live upstream's schema; `restgate probe` asks a running \
            gateway's /healthz or /readyz, for a container's health check.
            """)

    @Option(help: "Address to listen on. (RESTGATE_HOST, default 0.0.0.0)")
    var host: String?

    @Option(help: "Port to listen on. (RESTGATE_PORT, default 8080)")
    var port: Int?

    @Option(help: "Event-loop threads. (RESTGATE_THREADS, default: one per core)")
    var threads: Int?

    @Option(help: "Most connections open at once; more are answered 503. (RESTGATE_MAX_CONNECTIONS, default 16384)")
    var maxConnections: Int?

    @Option(help: "Longest request target in bytes, else 414. (RESTGATE_MAX_TARGET_BYTES, default 8192)")
    var maxTargetBytes: Int?

    @Option(help: "Largest header section in bytes, else 431. (RESTGATE_MAX_HEADER_BYTES, default 16384)")
    var maxHeaderBytes: Int?

    @Option(help: "Most header fields, else 431. (RESTGATE_MAX_HEADER_COUNT, default 100)")
    var maxHeaderCount: Int?

    @Option(help: "Largest request body in bytes, also after gzip inflation, else 413. (RESTGATE_MAX_BODY_BYTES, default 1048576)")
    var maxBodyBytes: Int?

    @Option(help: "Seconds for a request's header section to arrive, else 408. (RESTGATE_HEADER_TIMEOUT, default 10)")
    var headerTimeout: Double?

    @Option(help: "Seconds before an idle keep-alive connection is closed. (RESTGATE_IDLE_TIMEOUT, default 60)")
    var idleTimeout: Double?

    @Option(help: "Seconds for a request body to arrive whole, else 408. (RESTGATE_BODY_TIMEOUT, default 60)")
    var bodyTimeout: Double?

    @Option(
        help: "Seconds a client may take none of its answer before it is closed. (RESTGATE_SEND_TIMEOUT, default 30)")
    var sendTimeout: Double?

    @Option(
        help:
            "Answer bytes waiting to be written on all connections together; past it new requests get 503. (RESTGATE_MAX_BUFFERED_RESPONSE_BYTES, default 268435456)"
    )
    var maxBufferedResponseBytes: Int?

    @Option(
        help:
            "Request bodies over 64 KiB held at once on all connections together; past it such a body waits unread until one is done. (RESTGATE_MAX_BUFFERED_REQUEST_BYTES, default 33554432)"
    )
    var maxBufferedRequestBytes: Int?

    @Option(help: "Seconds a drain on SIGTERM/SIGINT waits for requests in flight. (RESTGATE_DRAIN_TIMEOUT, default 25)")
    var drainTimeout: Double?

    @Option(help: "Smallest response body in bytes that is gzip-compressed. (RESTGATE_GZIP_MIN_BYTES, default 256)")
    var gzipMinBytes: Int?

    @Option(help: "zlib compression level, 1 to 9. (RESTGATE_GZIP_LEVEL, default 1)")
    var gzipLevel: Int?

    @Option(
        help: "An upstream as NAME=URL, repeatable: unioo=https://…/graphql, elements=https://…/graphql. (RESTGATE_UPSTREAM_<NAME>_URL)")
    var upstream: [String] = []

    @Option(help: "PEM file of CA certificates trusted for https upstreams. (RESTGATE_UPSTREAM_CA_FILE, default: the system's)")
    var upstreamCaFile: String?

    @Option(help: "Seconds for an upstream's whole answer. (RESTGATE_UPSTREAM_TIMEOUT, default 15)")
    var upstreamTimeout: Double?

    @Option(help: "Seconds to connect to an upstream, TLS included. (RESTGATE_UPSTREAM_CONNECT_TIMEOUT, default 2)")
    var upstreamConnectTimeout: Double?

    @Option(help: "Most connections per upstream per event loop. (RESTGATE_UPSTREAM_POOL_SIZE, default 64)")
    var upstreamPoolSize: Int?

    @Option(help: "A route file (YAML) replacing the built-in routes. (RESTGATE_ROUTES)")
    var routes: String?

    @Option(help: "An upstream schema as NAME=FILE (SDL), replacing the built-in copy the routes are validated against. Repeatable.")
    var schema: [String] = []

    @Option(
        help:
            "A proxy (address or CIDR) whose X-Forwarded-* and Forwarded headers are believed; repeatable. (RESTGATE_TRUSTED_PROXIES, comma-separated)"
    )
    var trustedProxy: [String] = []

    @Option(
        help:
            "Which forwarding headers the trusted proxies set and so are believed: x-forwarded (X-Forwarded-For/-Proto/-Host, what nginx sets) or forwarded (RFC 7239). (RESTGATE_FORWARDED_HEADERS, default x-forwarded)"
    )
    var forwardedHeaders: String?

    @Option(help: "Seconds between upstream probes (and Redis pings) for /readyz. (RESTGATE_READINESS_INTERVAL, default 5)")
    var readinessInterval: Double?

    @Flag(help: "Refuse to start when an upstream has no URL, instead of using the sandbox. (RESTGATE_REQUIRE_UPSTREAMS=1)")
    var requireUpstreams = false

    @Option(help: "Invitations per month in the built-in sandbox. (RESTGATE_SANDBOX_INVITATIONS_PER_MONTH, default 10)")
    var sandboxInvitationsPerMonth: Int?

    @Option(help: "Invitations per week in the built-in sandbox. (RESTGATE_SANDBOX_INVITATIONS_PER_WEEK, default 5)")
    var sandboxInvitationsPerWeek: Int?

    @OptionGroup(title: "Metrics and traces")
    var observability: ObservabilityOptions

    @OptionGroup(title: "Idempotency-Key and its store")
    var storeOptions: StoreOptions

    @OptionGroup(title: "Token verification, rate limits, circuit breaker")
    var edgeOptions: EdgeOptions

    @OptionGroup(title: "Live schema checks")
    var schemaSourceOptions: SchemaSourceOptions

    @Flag(
        help:
            "Reload the routes when the route file or a --schema file changes, as SIGHUP does. (RESTGATE_WATCH_ROUTES=1)"
    )
    var watchRoutes = false

    @Option(help: "Log line format: text or json. (RESTGATE_LOG_FORMAT, default text)")
    var logFormat: String?

    @Option(help: "Least severe level logged: trace, debug, info, notice, warning, error, critical. (RESTGATE_LOG_LEVEL, default info)")
    var logLevel: String?

    func run() throws {
        ProcessMemory.disableHugePages()
        ProcessMemory.mapLargeAllocationsApart()
        // Start-up runs code once that serving never runs again (argument parsing, the plan's
        // decoding, the metrics registry): its pages are let go at each step, so that the
        // peak RSS is one step's code, not all of it (bench/RESULTS.md).
        ProcessMemory.releaseStartupCode()
        let settings = try Settings(command: self, environment: Environment.current)
        let observed = try ObservabilitySettings(options: observability, environment: Environment.current, host: settings.server.host)
        let storeSettings = try StoreSettings(options: storeOptions, environment: Environment.current)
        let edgeConfiguration = try EdgeConfiguration(options: edgeOptions, environment: Environment.current)
        LoggingSystem.bootstrap { label in
            var handler = StderrLogHandler(label: label, format: settings.logFormat)
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: "restgate")
        var accessHandler = StderrLogHandler(label: "restgate", format: settings.logFormat)
        accessHandler.logLevel = settings.logLevel
        let signals = Signals.blockTermination()

        // Every route is checked against its upstream's schema before any traffic: a route
        // that does not fit stops the start with its line and field.
        let plan: RoutePlan
        do {
            plan = try RouteCompiler.plan(
                for: RoutePlan.Input(routesYAML: settings.routesYAML, schemaOverrides: settings.schemaOverrides), logger: logger)
        } catch {
            logger.critical("\(error)")
            throw ExitCode.failure
        }
        ProcessMemory.releaseStartupCode()
        var targets = settings.upstreams.sorted { $0.key < $1.key }.map { name, url in
            UpstreamMonitor.Target(name: name, url: url, tls: settings.upstreamTLS)
        }
        // The upstreams the routes call; one without a URL is served by the sandbox.
        let missing = Set(plan.routes.map(\.definition.upstream)).filter { settings.upstreams[$0] == nil }.sorted()
        var sandboxServer: HTTPServer?
        if !missing.isEmpty {
            guard !settings.requireUpstreams else {
                logger.critical("no URL for upstream(s) \(missing.joined(separator: ", ")) and --require-upstreams is set")
                throw ExitCode.failure
            }
            let (server, base) = try SandboxCommand.startSandbox(
                host: "127.0.0.1", port: 0, threads: 1, quotas: settings.sandbox, logger: logger)
            sandboxServer = server
            for name in missing {
                guard let path = Sandbox.path(of: name), let url = UpstreamURL(base + path) else {
                    logger.critical(
                        "no URL for upstream \(name), which the sandbox does not serve: give it one with --upstream \(name)=URL")
                    throw ExitCode.failure
                }
                targets.append(UpstreamMonitor.Target(name: name, url: url, isSandbox: true))
                logger.notice("upstream \(name) has no URL: using the built-in sandbox", metadata: ["url": "\(url)"])
            }
        }
        let compiled = plan.routes
        // A claim comes only from a token the gateway verified itself.
        let verified = Set(edgeConfiguration.verification.keys)
        let servable: @Sendable (RoutePlan) -> String? = { plan in
            guard
                let route = plan.routes.first(where: { route in
                    !verified.contains(route.definition.upstream) && route.definition.variables.values.contains(where: \.readsClaim)
                })
            else { return nil }
            return
                "route \(route.definition.id) (line \(route.definition.line)) takes a variable from a claim, but upstream \(route.definition.upstream) has no token verification: give it --jwt-jwks, --jwt-key or --jwt-hmac-secret-file"
        }
        if let refusal = servable(plan) {
            logger.critical("\(refusal)")
            throw ExitCode.failure
        }
        let observability = try Observability(
            settings: observed, routesSource: settings.routesFile ?? "built-in", routesYAML: settings.routesYAML, routeCount: compiled.count
        )
        let (store, redis) = try storeSettings.makeStore(tls: settings.upstreamTLS)
        if let redis {
            logger.info("idempotency records on Redis", metadata: ["address": .string(redis.configuration.address)])
            try RedisHealthCheck(client: redis, interval: settings.readinessInterval).start()
        }
        if let redis {
            observability.metrics?.setScrapeSources { sources in
                sources.storeErrors = { (store: "redis", errors: redis.errors) }
            }
        }
        // Rate limits share Redis with the idempotency records, but not a memory store: its
        // least-recently-used eviction would let many clients' windows push out the records.
        let limitStore: any SharedStore = redis == nil ? MemoryStore(maxEntries: 100_000, maxBytes: 16 << 20) : store
        let (edge, keySets) = try edgeConfiguration.makeSettings(
            store: limitStore, upstreams: targets.map(\.name), tls: settings.upstreamTLS, logger: logger)
        for keys in keySets { keys.start() }
        observability.metrics?.setScrapeSources { sources in sources.figures.append { edge.figures } }
        var clients: [String: GraphQLClient] = [:]
        for target in targets {
            clients[target.name] = GraphQLClient(
                upstream: try UpstreamClient(name: target.name, url: target.url, configuration: settings.upstreamClient, tls: target.tls),
                observers: observability.observers)
        }
        let monitor = try UpstreamMonitor(targets: targets, interval: settings.readinessInterval) { status in
            let metadata: Logger.Metadata = ["upstream": .string(status.name), "url": .string(status.url.description)]
            if status.isReachable == true {
                logger.notice("upstream probe answered", metadata: metadata)
            } else {
                logger.warning(
                    "upstream probe failed: /readyz answers 503",
                    metadata: metadata.merging(["error": .string(status.lastError ?? "unknown")]) { $1 })
            }
        }
        monitor.start()
        logger.info(
            "routes loaded", metadata: ["count": .stringConvertible(compiled.count), "file": .string(settings.routesFile ?? "built-in")])

        // Routes against the live schemas: drift is reported, never fatal; a schema that
        // cannot be read at start is fatal only with --require-upstreams.
        let currentRoutes = CurrentRoutes(RoutePlan.Input(routesYAML: settings.routesYAML, schemaOverrides: settings.schemaOverrides))
        let driftMonitor = try SchemaDriftMonitor.make(
            options: schemaSourceOptions, environment: Environment.current, targets: targets, logger: logger
        ) { currentRoutes.value }
        if let driftMonitor {
            if !driftMonitor.checkAll(), settings.requireUpstreams {
                logger.critical("a live schema could not be read and --require-upstreams is set")
                throw ExitCode.failure
            }
            driftMonitor.start()
            observability.metrics?.setScrapeSources { sources in sources.figures.append { driftMonitor.drift.figures } }
        }
        let lifecycle = ServerLifecycle()
        let refusalLog = RateLimitedLog()
        let responder = GatewayResponder(
            lifecycle: lifecycle, upstreams: monitor, routes: compiled, clients: clients,
            openAPI: plan.openAPI, retryAfterSeconds: settings.server.retryAfterSeconds,
            stages: observability.stages(compression: ResponseCompressionStage(configuration: settings.server)),
            // With an admin listener, /metrics is served there only: the public port (and so
            // anything that reaches it) never reads the gateway's figures.
            metrics: observability.metrics, servesMetrics: observed.adminPort == nil,
            idempotency: storeSettings.idempotency(store: store, upstream: settings.upstreamClient),
            edge: edge, drift: driftMonitor?.drift,
            onUpstreamFault: { route, problem in
                // A 503 is a refusal the gateway makes on every request while something is down
                // (an open breaker, keys not loaded, the store): one line a second says so.
                if problem.status == 503, !refusalLog.shouldLog() { return }
                let metadata: Logger.Metadata = [
                    "route": .string(route), "code": .string(problem.code.name), "detail": .string(problem.detail),
                    "upstreamErrors": .string(problem.errors.map(\.message).joined(separator: " | ")),
                ]
                if problem.code == .contractMismatch {
                    logger.critical(
                        "the upstream rejected the route's GraphQL document: fix the route file or --schema", metadata: metadata)
                } else {
                    logger.warning("upstream fault", metadata: metadata)
                }
            })
        let server = HTTPServer(
            configuration: settings.server,
            responder: responder,
            lifecycle: lifecycle,
            accessLog: { [accessHandler] in
                logger.logAccess($0, through: accessHandler)
                observability.count($0)
            })
        observability.observe(server: server, clients: Array(clients.values))
        let admin = observed.adminPort.map { port in
            var configuration = settings.server
            configuration.host = observed.adminHost ?? settings.server.host
            configuration.port = port
            configuration.threads = 1
            return HTTPServer(
                configuration: configuration,
                responder: GatewayResponder(
                    adminFor: lifecycle, upstreams: monitor, retryAfterSeconds: settings.server.retryAfterSeconds,
                    metrics: observability.metrics, store: store, edge: edge, drift: driftMonitor?.drift,
                    stages: [ResponseCompressionStage(configuration: settings.server)]),
                lifecycle: ServerLifecycle())
        }
        do {
            try server.start()
            try admin?.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        if let admin {
            logger.info("admin listener", metadata: ["host": .string(admin.configuration.host), "port": .stringConvertible(admin.port)])
        }
        logger.info(
            "listening",
            metadata: [
                "host": .string(settings.server.host), "port": .stringConvertible(server.port),
                "threads": .stringConvertible(settings.server.threads),
            ])
        ProcessMemory.releaseFreeMemory()
        ProcessMemory.releaseStartupCode()
        let reloader = RouteReloader(
            routesFile: settings.routesFile, schemaFiles: settings.schemaFiles, responder: responder, logger: logger,
            current: currentRoutes, metrics: observability.metrics, accepts: servable)
        observability.metrics?.setScrapeSources { sources in sources.figures.append { reloader.figures } }
        let watching =
            watchRoutes || ["1", "true", "yes"].contains(Environment.current.values["RESTGATE_WATCH_ROUTES"]?.lowercased() ?? "")
        if watching {
            RouteFileWatcher.start(paths: [settings.routesFile].compactMap { $0 } + settings.schemaFiles.values.sorted())
        }
        let received = signals.wait { reloader.reload(because: "SIGHUP") }
        logger.info("draining", metadata: ["signal": .stringConvertible(received), "deadlineSeconds": "\(settings.server.drainTimeout)"])
        let drainStarted = Instant.now()
        server.shutdown()
        server.waitUntilStopped()
        admin?.shutdown(gracefully: false)
        admin?.waitUntilStopped()
        // The spans of the last requests go out within what is left of the drain's deadline.
        let left = settings.server.drainTimeout - Instant.now().duration(since: drainStarted)
        observability.shutdown(timeout: max(left, .milliseconds(500)))
        sandboxServer?.shutdown(gracefully: false)
        sandboxServer?.waitUntilStopped()
        logger.info("stopped")
    }
}
