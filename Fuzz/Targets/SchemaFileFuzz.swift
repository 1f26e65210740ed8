import RestgateConfiguration

@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// A schema file (`--schema NAME=FILE`), read as at start-up and the built-in routes checked
// against it: it loads and the routes fit or name their mistake, or it is refused.

func fuzzSchemaFile(_ input: UnsafeBufferPointer<UInt8>) {
    let sdl = String(decoding: input, as: UTF8.self)
    guard let validator = try? RouteValidator(overrides: ["unioo": sdl]) else { return }
    do {
        _ = try validator.compile(yaml: BuiltInConfiguration.routesYAML)
    } catch {
        precondition(!error.message.isEmpty)
    }
}
