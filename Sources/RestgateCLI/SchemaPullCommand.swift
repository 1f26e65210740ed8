import ArgumentParser
import Foundation
import RestgateRouteCompiler
import RestgateRuntime
import RestgateUpstream

/// `restgate schema pull`: asks a live upstream for its schema by standard introspection and
/// prints it as SDL, to commit next to a route file and to check routes against
/// (`restgate check --schema NAME=FILE`).
struct SchemaPullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restgate schema pull", abstract: "Print a live upstream's schema as SDL, read by introspection.")

    @Option(help: "The upstream: NAME=URL of its GraphQL endpoint.")
    var upstream: String

    @Option(help: "A header the upstream needs for introspection, HEADER:VALUE (a token). Repeatable.")
    var header: [String] = []

    @Option(help: "PEM file of CA certificates trusted for an https upstream (default: the system's).")
    var upstreamCaFile: String?

    @Option(help: "Seconds for the whole answer.")
    var timeout: Double = 15

    func run() throws {
        let parts = upstream.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let url = UpstreamURL(String(parts[1])) else {
            throw ValidationError("--upstream takes NAME=URL, e.g. unioo=https://api.example/graphql; got '\(upstream)'.")
        }
        var headers: [(String, String)] = []
        for entry in header {
            let field = entry.split(separator: ":", maxSplits: 1)
            guard field.count == 2, !field[0].isEmpty else { throw ValidationError("--header takes HEADER:VALUE; got '\(entry)'.") }
            headers.append((String(field[0]), field[1].trimmingCharacters(in: .whitespaces)))
        }
        guard (0.1...600).contains(timeout) else { throw ValidationError("--timeout must be 0.1 to 600 seconds.") }
        var configuration = UpstreamConfiguration()
        configuration.requestTimeout = .milliseconds(Int64(timeout * 1000))
        let client = try UpstreamClient(
            name: String(parts[0]), url: url, configuration: configuration, tls: TLSConfiguration(caFile: upstreamCaFile))
        let loop = try EventLoop.startDedicated(name: "restgate-pull")
        let fields = headers
        let sdl: String
        switch EdgeConfiguration.wait({ () async -> Result<String, SchemaIntrospection.Failure> in
            await SchemaIntrospection.sdl(client: client, headers: fields, loop: loop)
        }) {
        case .failure(let never): switch never {}
        case .success(.failure(let error)): fail(error.description)
        case .success(.success(let text)): sdl = text
        }
        // What is printed must be a schema the gateway can read back.
        do {
            _ = try RouteValidator(overrides: [String(parts[0]).lowercased(): sdl])
        } catch {
            fail("the SDL made from \(url)'s introspection does not parse: \(error)")
        }
        print(sdl, terminator: "")
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("restgate schema pull: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
