import RestgateTestSupport
import Testing

@testable import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// `restgate probe`, the container health check: exit 0 only on a 2xx from the asked path,
/// and 1, with the reason, when the answer is another status, nobody listens or nobody answers.
@Suite struct ProbeCommandTests {
    @Test func aTwoHundredExitsZeroAndAnyOtherAnswerOne() throws {
        let restgate = try RestgateProcess()
        let port = String(restgate.port)
        #expect(try RestgateProcess.run(["probe", "--port", port]).status == 0)
        #expect(try RestgateProcess.run(["probe", "--port", port, "--path", "/readyz"]).status == 0)
        let missing = try RestgateProcess.run(["probe", "--port", port, "--path", "/no-such-path"])
        #expect(missing.status == 1)
        #expect(missing.log.contains("answered 404"))
    }

    @Test func thePortComesFromTheGatewaysOwnVariables() throws {
        let restgate = try RestgateProcess()
        let port = String(restgate.port)
        #expect(try RestgateProcess.run(["probe"], environment: ["RESTGATE_PORT": port]).status == 0)
        // The admin port wins: it is where the health endpoints of a deployment are asked.
        let closed = try LoopbackPort.free()
        let probe = try RestgateProcess.run(["probe"], environment: ["RESTGATE_PORT": port, "RESTGATE_ADMIN_PORT": String(closed)])
        #expect(probe.status == 1)
        #expect(probe.log.contains("cannot connect"))
    }

    @Test func aListenerThatNeverAnswersFailsWithinTheTimeout() throws {
        let silent = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 4)
        defer { close(silent.descriptor) }
        let started = Instant.now()
        let probe = try RestgateProcess.run(["probe", "--port", String(silent.port), "--timeout", "0.5"])
        let seconds = Double(Instant.now().duration(since: started).components.seconds)
        #expect(probe.status == 1)
        #expect(probe.log.contains("no answer within 0.5 s"))
        #expect(seconds < 5)
    }

    @Test func badOptionsAreRefusedBeforeAnyConnection() throws {
        let probe = try RestgateProcess.run(["probe", "--path", "healthz"])
        #expect(probe.status != 0)
        #expect(probe.log.contains("--path must start with /"))
    }
}
