import ArgumentParser
import Logging
import RestgateGateway
import RestgateHTTP

#if canImport(Glibc)
    import Glibc
#endif

@main
struct RestgateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restgate",
        abstract: "A REST-to-GraphQL gateway.",
        discussion: """
            Every option can also be set by an environment variable named RESTGATE_ and the option's name \
            in capitals with underscores (--max-body-bytes is RESTGATE_MAX_BODY_BYTES). An option on the \
            command line wins over its variable. Durations are in seconds.
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

    @Option(help: "Seconds a drain on SIGTERM/SIGINT waits for requests in flight. (RESTGATE_DRAIN_TIMEOUT, default 25)")
    var drainTimeout: Double?

    @Option(help: "Smallest response body in bytes that is gzip-compressed. (RESTGATE_GZIP_MIN_BYTES, default 256)")
    var gzipMinBytes: Int?

    @Option(help: "zlib compression level, 1 to 9. (RESTGATE_GZIP_LEVEL, default 1)")
    var gzipLevel: Int?

    @Option(help: "Log line format: text or json. (RESTGATE_LOG_FORMAT, default text)")
    var logFormat: String?

    @Option(help: "Least severe level logged: trace, debug, info, notice, warning, error, critical. (RESTGATE_LOG_LEVEL, default info)")
    var logLevel: String?

    func run() throws {
        let settings = try Settings(command: self, environment: Environment.current)
        LoggingSystem.bootstrap { label in
            var handler = StderrLogHandler(label: label, format: settings.logFormat)
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: "restgate")
        // Blocked before any loop thread exists, so the threads inherit the mask and only
        // the `sigwait` below ever sees SIGTERM and SIGINT.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let lifecycle = ServerLifecycle()
        let server = HTTPServer(
            configuration: settings.server,
            responder: GatewayResponder(lifecycle: lifecycle, retryAfterSeconds: settings.server.retryAfterSeconds),
            lifecycle: lifecycle,
            accessLog: { logger.logAccess($0) })
        do {
            try server.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        logger.info(
            "listening",
            metadata: [
                "host": .string(settings.server.host), "port": .stringConvertible(server.port),
                "threads": .stringConvertible(settings.server.threads),
            ])
        var received: Int32 = 0
        sigwait(&signals, &received)
        logger.info("draining", metadata: ["signal": .stringConvertible(received), "deadlineSeconds": "\(settings.server.drainTimeout)"])
        server.shutdown()
        server.waitUntilStopped()
        logger.info("stopped")
    }
}
