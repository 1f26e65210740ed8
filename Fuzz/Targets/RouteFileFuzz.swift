@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// A route file, loaded and validated as at start-up: it compiles or names its mistake.

// libFuzzer calls back on one thread only (no -fork or -jobs), so nothing shares it.
nonisolated(unsafe) private let validator: RouteValidator = {
    do {
        return try RouteValidator()
    } catch {
        preconditionFailure("the built-in schemas do not load: \(error)")
    }
}()

func fuzzRouteFile(_ input: UnsafeBufferPointer<UInt8>) {
    let yaml = String(decoding: input, as: UTF8.self)
    do {
        _ = try validator.compile(yaml: yaml)
    } catch {
        precondition(!error.message.isEmpty)
        _ = error.description
    }
}
