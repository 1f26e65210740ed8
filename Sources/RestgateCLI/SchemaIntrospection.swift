import RestgateJSON
import RestgateRouteCompiler
import RestgateRuntime
import RestgateUpstream

/// Asks an upstream for its schema by the standard introspection query and makes SDL of the
/// answer: for `restgate schema pull` and the live schema check.
enum SchemaIntrospection {
    struct Failure: Error, CustomStringConvertible {
        /// Few words for `/readyz`: unreachable, HTTP 401, refused, not a schema.
        let kind: String
        let description: String
    }

    static func sdl(client: UpstreamClient, headers: [(String, String)], loop: EventLoop) async -> Result<String, Failure> {
        var query = JSONWriter()
        query.beginObject()
        query.member("query", IntrospectionSDL.query)
        query.endObject()
        let request = UpstreamRequest(
            path: client.url.path, headers: [("Content-Type", "application/json"), ("Accept", "application/json")] + headers,
            body: query.bytes, isIdempotent: true)
        switch await client.send(request, on: loop) {
        case .failure(let error):
            return .failure(Failure(kind: "unreachable", description: "\(client.url): \(error)"))
        case .success(let response):
            guard response.status == 200 else {
                return .failure(Failure(kind: "HTTP \(response.status)", description: "\(client.url) answered HTTP \(response.status)"))
            }
            guard let answer = try? JSONParser.parse(response.body) else {
                return .failure(Failure(kind: "not JSON", description: "\(client.url) did not answer JSON"))
            }
            do {
                return .success(try IntrospectionSDL.sdl(from: answer))
            } catch {
                let refused = error.description.hasPrefix("introspection refused")
                return .failure(Failure(kind: refused ? "refused" : "not a schema", description: "\(client.url): \(error)"))
            }
        }
    }
}
