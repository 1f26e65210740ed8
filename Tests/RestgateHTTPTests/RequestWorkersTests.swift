import RestgateHTTP
import RestgateTestSupport
import Synchronization
import Testing

@testable import RestgateServer

#if canImport(Glibc)
    import Glibc
#endif

/// Holds every request until `count` of them are in the responder at once, so that many
/// workers are busy together; then answers each with its own path.
private final class Gate: HTTPResponder, Sendable {
    let count: Int
    private let waiting = Mutex<(arrived: Int, continuations: [UnsafeContinuation<Void, Never>])>((0, []))

    init(count: Int) {
        self.count = count
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        if request.path != "/free" {
            await withUnsafeContinuation { continuation in
                let released = waiting.withLock { state -> [UnsafeContinuation<Void, Never>] in
                    state.arrived += 1
                    state.continuations.append(continuation)
                    guard state.arrived >= count else { return [] }
                    defer { state.continuations = [] }
                    return state.continuations
                }
                for waiter in released { waiter.resume() }
            }
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array(request.path.utf8))
    }
}

/// Requests run on long-lived worker tasks: many at once each get their own worker and their
/// own answer, the workers left parked afterwards are bounded, and a stopped server ends them.
@Suite struct RequestWorkersTests {
    private func waitUntil(_ condition: () -> Bool) -> Bool {
        for _ in 0..<250 {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    @Test func aBurstBeyondTheParkingLimitIsServedAndLeavesAtMostTheLimitParked() throws {
        let burst = RequestWorkers.maxParked + 36
        let server = try TestServer(responder: Gate(count: burst)) { $0.threads = 1 }
        let connections = try (0..<burst).map { _ in try server.connect() }
        for (index, connection) in connections.enumerated() {
            try connection.send("GET /r\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        // None is answered until all are in the responder together: one worker each.
        for (index, connection) in connections.enumerated() {
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "/r\(index)")
        }
        #expect(waitUntil { server.server.statistics.parkedWorkers == RequestWorkers.maxParked })
        // Parked workers take the next requests, in turn, and the count stays within the limit.
        for round in 0..<3 {
            try connections[round].send("GET /free HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try connections[round].readResponse().text == "/free")
        }
        // A worker parks just after its answer is handed over, so the count is read once it
        // has settled: back at the limit, which the three requests did not raise.
        #expect(waitUntil { server.server.statistics.parkedWorkers == RequestWorkers.maxParked })
        server.stop()
        #expect(server.server.statistics.parkedWorkers == 0)
    }
}
