import RestgateHTTP
import Synchronization
import Testing

@testable import RestgateServer

/// The pipeline runs its stages in order around the endpoint, with no server or socket.
@Suite struct RequestPipelineTests {
    private final class Journal: Sendable {
        let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    private struct Recording: RequestStage {
        let name: String
        let journal: Journal
        var answersItself = false

        func respond(to request: HTTPRequest, next: RequestChain) async -> HTTPResponse {
            journal.add("\(name) in")
            if answersItself { return HTTPResponse(status: 429) }
            var response = await next(request)
            response.headers.append(("X-Stage", name))
            journal.add("\(name) out")
            return response
        }
    }

    private struct Endpoint: HTTPResponder {
        let journal: Journal
        func respond(to request: HTTPRequest) async -> HTTPResponse {
            journal.add("endpoint")
            return HTTPResponse.json(200, Array("{}".utf8))
        }
    }

    static func request(_ head: String) throws -> HTTPRequest {
        var parser = RequestHeadParser(limits: RequestHeadLimits())
        guard case .complete(let parsed, _) = Array(head.utf8).withUnsafeBufferPointer({ parser.parse($0) }) else {
            throw ParseFailure()
        }
        return HTTPRequest(head: parsed, requestID: "r-1")
    }

    private struct ParseFailure: Error {}

    @Test func theFirstStageSeesTheRequestFirstAndTheResponseLast() async throws {
        let journal = Journal()
        let pipeline = RequestPipeline(
            [Recording(name: "outer", journal: journal), Recording(name: "inner", journal: journal)], endpoint: Endpoint(journal: journal))
        let response = await pipeline.respond(to: try Self.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n"))
        #expect(journal.all == ["outer in", "inner in", "endpoint", "inner out", "outer out"])
        #expect(response.headers.filter { $0.name == "X-Stage" }.map(\.value) == ["inner", "outer"])
    }

    @Test func aStageThatAnswersItselfEndsThePipeline() async throws {
        let journal = Journal()
        let pipeline = RequestPipeline(
            [Recording(name: "limit", journal: journal, answersItself: true), Recording(name: "inner", journal: journal)],
            endpoint: Endpoint(journal: journal))
        let response = await pipeline.respond(to: try Self.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n"))
        #expect(response.status == 429)
        #expect(journal.all == ["limit in"])
    }

    @Test func theCompressionStageAppliesTheResponsePolicy() async throws {
        let journal = Journal()
        var configuration = HTTPServerConfiguration()
        configuration.gzipMinimumBytes = 0
        let pipeline = RequestPipeline([ResponseCompressionStage(configuration: configuration)], endpoint: Endpoint(journal: journal))
        let gzip = await pipeline.respond(to: try Self.request("GET /x HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n"))
        #expect(gzip.header("content-encoding") == "gzip" && gzip.header("vary") == "Accept-Encoding")
        let head = await pipeline.respond(to: try Self.request("HEAD /x HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n"))
        #expect(head.header("content-encoding") == nil && head.header("vary") == "Accept-Encoding")
        let plain = await pipeline.respond(to: try Self.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n"))
        #expect(plain.header("content-encoding") == nil && plain.body == Array("{}".utf8))
    }
}
