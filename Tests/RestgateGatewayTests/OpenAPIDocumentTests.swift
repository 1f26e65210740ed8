import Foundation
import RestgateConfiguration
import RestgateGateway
import RestgateHTTP
import RestgateTestSupport
import Testing

@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateSandbox
@testable import RestgateServer
@testable import RestgateUpstream

/// The OpenAPI document is generated from the route file; the committed copy must be what
/// the code generates, and it must list exactly the route file's operations.
@Suite struct OpenAPIDocumentTests {
    private func generated() throws -> OpenAPIDocument {
        let validator = try RouteValidator()
        return try OpenAPIDocument(routeFile: BuiltInConfiguration.routesYAML, validator: validator)
    }

    @Test func theCommittedDocumentIsTheGeneratedOne() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("openapi/openapi.yaml")
        let committed = try String(contentsOf: path, encoding: .utf8)
        #expect(
            committed == (try generated().yaml), "openapi/openapi.yaml is stale: run `swift run restgate openapi > openapi/openapi.yaml`")
    }

    @Test func theDocumentListsExactlyTheRouteFilesOperations() throws {
        let routes = try RouteFileLoader.load(yaml: BuiltInConfiguration.routesYAML)
        let document = try generated().json
        var operations: [String] = []
        if case .object(let paths) = document["paths"] ?? .null {
            for (path, item) in paths {
                if case .object(let methods) = item {
                    for (method, operation) in methods {
                        operations.append("\(method.uppercased()) \(path) \(operation["operationId"]?.string ?? "")")
                    }
                }
            }
        }
        #expect(operations.sorted() == routes.map { "\($0.method.rawValue) \($0.path) \($0.id)" }.sorted())
    }

    @Test func bodiesAndResourcesFollowTheSchemas() throws {
        let document = try generated().json
        let input = document["components"]?["schemas"]?["CreateOrganizationInvitationInput"]
        #expect(input?["required"] == .array([.string("organizationName"), .string("riskGroupId")]))
        #expect(input?["additionalProperties"] == .bool(false))
        let patchReference = document["paths"]?["/invitations/{id}"]?["patch"]?["requestBody"]?["content"]?["application/json"]?["schema"]
        #expect(patchReference?["$ref"] == .string("#/components/schemas/UpdateOrganizationInvitationInformationBody"))
        let patch = document["components"]?["schemas"]?["UpdateOrganizationInvitationInformationBody"]
        #expect(patch?["properties"]?["invitationId"] == nil)
        #expect(patch?["properties"]?["contactPerson"]?["nullable"] == .bool(true))
        let schemas = document["components"]?["schemas"]
        /// The component a `$ref` (perhaps in `allOf`, for a nullable one) names.
        func resolved(_ schema: JSONValue?) -> JSONValue? {
            let reference = schema?["$ref"] ?? schema?["allOf"]?.array?.first?["$ref"]
            guard let name = reference?.string?.split(separator: "/").last else { return schema }
            return schemas?[String(name)]
        }
        // One named component per GraphQL type, used by $ref wherever a route returns it.
        let resource = document["paths"]?["/invitations/{id}"]?["get"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"]
        #expect(resource?["$ref"] == .string("#/components/schemas/OrganizationInvitation"))
        let invitation = resolved(resource)
        #expect(resolved(invitation?["properties"]?["riskGroup"])?["properties"]?["name"] != nil)
        #expect(invitation?["properties"]?["riskGroup"]?["allOf"]?.array?.first?["$ref"] == .string("#/components/schemas/RiskGroup"))
        #expect(invitation?["properties"]?["id"]?["format"] == .string("uuid"))
        let created = document["paths"]?["/invitations"]?["post"]?["responses"]?["201"]?["content"]?["application/json"]?["schema"]
        #expect(created?["$ref"] == resource?["$ref"])
        let list = document["paths"]?["/risk-groups"]?["get"]?["responses"]?["200"]
        #expect(list?["headers"]?["Link"] != nil)
        #expect(list?["content"]?["application/json"]?["schema"]?["$ref"] == .string("#/components/schemas/RiskGroupPage"))
        #expect(
            resolved(list?["content"]?["application/json"]?["schema"])?["required"]
                == .array([.string("items"), .string("nextCursor"), .string("totalCount")]))
        #expect(schemas?["Problem"]?["properties"]?["errors"]?["items"]?["$ref"] == .string("#/components/schemas/ProblemError"))
    }

    @Test func theGatewayServesItAsJSONAndYAML() throws {
        let validator = try RouteValidator()
        let lifecycle = ServerLifecycle()
        let server = try TestServer(
            responder: GatewayResponder(
                lifecycle: lifecycle, openAPI: try OpenAPIDocument(routeFile: BuiltInConfiguration.routesYAML, validator: validator).text),
            lifecycle: lifecycle)
        defer { server.stop() }
        let json = try server.request("GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(json.status == 200)
        #expect(json.header("content-type") == "application/json")
        #expect(try JSONParser.parse(json.body)["openapi"] == .string("3.0.3"))
        let yaml = try server.request("GET /openapi.yaml HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(yaml.header("content-type") == "application/yaml")
        #expect(yaml.text.hasPrefix("openapi: \"3.0.3\""))
    }
}
