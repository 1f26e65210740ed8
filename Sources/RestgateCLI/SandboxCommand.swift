import ArgumentParser
import Logging
import RestgateGateway
import RestgateHTTP
import RestgateJSON
import RestgateRouteCompiler
import RestgateRoutePlan
import RestgateRuntime
import RestgateSandbox
import RestgateServer
import RestgateUpstream

/// `restgate sandbox`: the built-in stand-in for both upstreams, alone, as a test upstream
/// for other tools.
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restgate sandbox",
        abstract: "Run the built-in sandbox upstreams (Unioo and Elements GraphQL) alone.",
        discussion: "Unioo is served at /unioo/graphql and Elements at /elements/graphql. Everything is in memory.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 9090

    @Option(help: "Event-loop threads.")
    var threads = 1

    @Option(help: "Invitations per month.")
    var invitationsPerMonth = 10

    @Option(help: "Invitations per week.")
    var invitationsPerWeek = 5

    @Option(help: "Log line format: text or json.")
    var logFormat = "text"

    func run() throws {
        guard let format = LogFormat(rawValue: logFormat) else {
            throw ValidationError("--log-format must be text or json; got '\(logFormat)'.")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535; got \(port).") }
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, format: format) }
        let logger = Logger(label: "restgate-sandbox")
        let signals = Signals.blockTermination()
        let quotas = SandboxSettings(invitationsPerMonth: invitationsPerMonth, invitationsPerWeek: invitationsPerWeek)
        let (server, _) = try Self.startSandbox(host: host, port: UInt16(port), threads: threads, quotas: quotas, logger: logger)
        _ = signals.wait()
        server.shutdown()
        server.waitUntilStopped()
        logger.info("sandbox stopped")
    }

    /// Starts the sandbox and logs where it is and the demo credentials; returns the server
    /// and its base URL (`http://host:port`).
    static func startSandbox(host: String, port: UInt16, threads: Int, quotas: SandboxSettings, logger: Logger) throws -> (
        HTTPServer, String
    ) {
        var sandboxConfiguration = SandboxConfiguration()
        sandboxConfiguration.invitationsPerMonth = quotas.invitationsPerMonth
        sandboxConfiguration.invitationsPerWeek = quotas.invitationsPerWeek
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.threads = threads
        let sandbox = RequestPipeline(
            [ResponseCompressionStage(configuration: configuration)], endpoint: try Sandbox(configuration: sandboxConfiguration))
        let server = HTTPServer(configuration: configuration, responder: sandbox)
        do {
            try server.start()
        } catch {
            logger.critical("cannot start the sandbox", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)"
        logger.notice(
            "sandbox upstreams listening",
            metadata: ["unioo": "\(base)\(Sandbox.uniooPath)", "elements": "\(base)\(Sandbox.elementsPath)"])
        for credential in Sandbox.credentials {
            logger.notice(
                "sandbox demo credentials", metadata: ["upstream": .string(credential.upstream), "use": .string(credential.description)])
        }
        logger.notice("sandbox demo firm", metadata: ["firmID": .string(Sandbox.demoFirmID)])
        return (server, base)
    }
}
