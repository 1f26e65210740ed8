import RestgateHTTP
import RestgateJSON
import RestgateRuntime
public import RestgateServer

/// A real `HTTPServer` on an ephemeral loopback port, for one test.
public final class TestServer: Sendable {
    public let server: HTTPServer
    public var port: UInt16 { server.port }

    public init(
        responder: any HTTPResponder, lifecycle: ServerLifecycle = ServerLifecycle(), compressed: Bool = false,
        configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.threads = 2
        configuration.maxConnections = 1024
        configure(&configuration)
        // `compressed`: behind the response policy a gateway or the sandbox puts first.
        let served = compressed ? RequestPipeline([ResponseCompressionStage(configuration: configuration)], endpoint: responder) : responder
        server = HTTPServer(configuration: configuration, responder: served, lifecycle: lifecycle)
        try server.start()
    }

    public func connect() throws -> RawConnection {
        try RawConnection(port: port)
    }

    /// One request on a new connection; returns the response.
    public func request(_ raw: String) throws -> RawResponse {
        let connection = try connect()
        try connection.send(raw)
        return try connection.readResponse()
    }

    public func stop() {
        server.shutdown(gracefully: false)
        server.waitUntilStopped()
    }

    deinit {
        server.shutdown(gracefully: false)
    }
}
