@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// Query strings and path segments: a 400 or parameters that survive the trip back through
// `encode` (a Link header's query is built that way).

func fuzzQueryString(_ input: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: input, as: UTF8.self)
    _ = QueryString.decodePath(text)
    guard let query = try? QueryString(text) else { return }
    precondition(query.parameters.count <= QueryString.maxParameters)
    for (name, value) in query.parameters {
        precondition(QueryString.decode(Substring(QueryString.encode(name))) == name, "name round trip")
        precondition(QueryString.decode(Substring(QueryString.encode(value))) == value, "value round trip")
    }
}
