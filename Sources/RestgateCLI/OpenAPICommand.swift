import ArgumentParser
import Foundation
import RestgateConfiguration
import RestgateGateway
import RestgateHTTP
import RestgateJSON
import RestgateRouteCompiler
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

/// `restgate openapi`: prints the OpenAPI document of the routes (what GET /openapi.yaml
/// serves), so `openapi/openapi.yaml` is made by the code it describes.
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restgate openapi", abstract: "Print the OpenAPI 3.0.3 document of the routes (YAML, or JSON with --json).")

    @Option(help: "A route file replacing the built-in routes.")
    var routes: String?

    @Flag(help: "Print JSON instead of YAML.")
    var json = false

    func run() throws {
        let yaml = try routes.map { try Settings.read($0, option: "--routes") } ?? BuiltInConfiguration.routesYAML
        let validator = try RouteValidator()
        let document = try OpenAPIDocument(routeFile: yaml, validator: validator)
        if json {
            print(String(decoding: document.jsonBytes, as: UTF8.self))
        } else {
            print(document.yaml, terminator: "")
        }
    }
}
