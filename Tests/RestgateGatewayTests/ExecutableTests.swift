import RestgateTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `restgate` binary: it starts, logs one JSON line per request without secrets,
/// drains to exit status 0 on SIGTERM, and holds 10,000 idle connections.
@Suite struct ExecutableTests {
    @Test func sigtermDrainsAndExitsZeroAndTheLogHoldsNoToken() throws {
        let restgate = try RestgateProcess(arguments: ["--log-format", "json", "--drain-timeout", "5"])
        let client = try restgate.connect()
        try client.send("GET /healthz HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer aaa.secret-token.zzz\r\nX-Request-ID: exe-1\r\n\r\n")
        #expect(try client.readResponse().status == 200)

        restgate.child.signal(SIGTERM)
        #expect(try client.isClosedByPeer())
        let status = restgate.child.waitForExit()
        let log = restgate.child.log
        #expect(status == 0)
        #expect(!log.contains("secret-token"))
        #expect(log.contains(#""requestId":"exe-1""#))
        #expect(log.contains(#""msg":"request""#))
        #expect(log.contains(#""msg":"stopped""#))
        #expect(log.split(separator: "\n").allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
    }

    @Test func badOptionValuesStopTheStartWithAMessage() throws {
        let (status, log) = try RestgateProcess.run(["--gzip-level", "12"])
        #expect(status != 0)
        #expect(log.contains("--gzip-level must be between 1 and 9"))
    }

    @Test func environmentVariablesConfigureAndFlagsWin() throws {
        let (status, log) = try RestgateProcess.run(["--port", "not-a-port"], environment: ["RESTGATE_PORT": "1"])
        #expect(status != 0)
        #expect(log.contains("not-a-port"))
        let fromEnvironment = try RestgateProcess.run([], environment: ["RESTGATE_LOG_FORMAT": "xml"])
        #expect(fromEnvironment.status != 0)
        #expect(fromEnvironment.log.contains("--log-format must be text or json"))
    }

    /// The idle clients live in this process and the server in its own, as in production:
    /// one process cannot hold both ends of 10,000 connections under a 20,000 descriptor cap.
    @Test func tenThousandIdleConnectionsAreHeldWhileAnotherClientIsServed() throws {
        let restgate = try RestgateProcess()
        var idle: [RawConnection] = []
        idle.reserveCapacity(10000)
        for index in 0..<10000 {
            let connection = try restgate.connect()
            // Every hundredth proves it is a live HTTP connection, not just an accepted socket.
            if index % 100 == 0 {
                try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try connection.readResponse().status == 200)
            }
            idle.append(connection)
        }
        #expect(restgate.openDescriptors >= 10000)

        let active = try restgate.connect()
        var slowest = Duration.zero
        for _ in 0..<200 {
            let started = ContinuousClock.now
            try active.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try active.readResponse()
            slowest = max(slowest, ContinuousClock.now - started)
            #expect(response.status == 200)
            #expect(response.text == #"{"status":"ok"}"#)
        }
        // Not a speed claim: a guard against a loop that walks every connection per event.
        #expect(slowest < .seconds(1))
        for connection in idle.prefix(50) {
            try connection.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try connection.readResponse().status == 200)
        }
        #expect(restgate.openDescriptors >= 10001)
    }
}
