import Foundation
import RestgateConfiguration
import Testing

/// The binary serves the files in `config/`, byte for byte: an operator who copies
/// `config/routes.yaml` or a schema to start from gets exactly what runs built in.
@Suite struct BuiltInConfigurationTests {
    private static let configDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config")

    private func file(_ path: String) throws -> String {
        try String(contentsOf: Self.configDirectory.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func theEmbeddedRouteFileIsConfigRoutesYAML() throws {
        #expect(BuiltInConfiguration.routesYAML == (try file("routes.yaml")))
    }

    @Test func eachEmbeddedSchemaIsItsFileInConfigSchemas() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.configDirectory.appendingPathComponent("schemas").path)
            .filter { $0.hasSuffix(".graphql") }
        #expect(Set(files.map { String($0.dropLast(".graphql".count)) }) == Set(BuiltInConfiguration.schemas.keys))
        for (name, sdl) in BuiltInConfiguration.schemas {
            #expect(sdl == (try file("schemas/\(name).graphql")), "config/schemas/\(name).graphql differs from the embedded copy")
        }
    }
}
