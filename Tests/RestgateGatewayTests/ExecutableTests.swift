import Foundation
import RestgateConfiguration
import RestgateGateway
import RestgateTestSupport
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateRuntime
@testable import RestgateSandbox
@testable import RestgateServer
@testable import RestgateUpstream

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

    @Test func accessLinesAreBatchedPerLoopButWrittenWholeBeforeTheLoopWaits() throws {
        let restgate = try RestgateProcess(arguments: ["--log-format", "json", "--threads", "2"])
        let connections = try (0..<6).map { _ in try restgate.connect() }
        let rounds = 40
        for round in 0..<rounds {
            // Six requests in flight at once: a loop answers several in one iteration.
            for (index, connection) in connections.enumerated() {
                try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Request-ID: batch-\(round)-\(index)\r\n\r\n")
            }
            for connection in connections { #expect(try connection.readResponse().status == 200) }
        }
        // The process keeps running: the lines must reach the log without a drain or an exit.
        var lines: [Substring] = []
        for _ in 0..<100 {
            lines = restgate.child.log.split(separator: "\n").filter { $0.contains(#""requestId":"batch-"#) }
            if lines.count == rounds * connections.count { break }
            usleep(20000)
        }
        #expect(lines.count == rounds * connections.count)
        #expect(restgate.child.log.split(separator: "\n").allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
    }

    @Test func badOptionValuesStopTheStartWithAMessage() throws {
        let (status, log) = try RestgateProcess.run(["--gzip-level", "12"])
        #expect(status != 0)
        #expect(log.contains("--gzip-level must be between 1 and 9"))
    }

    /// A mounted Secret holds the Redis URL: the file is read (the keyed request reaches the
    /// store it names, here a closed port) and giving both forms is refused.
    @Test func theRedisURLCanComeFromAFile() throws {
        let closed = try LoopbackPort.free()
        let file = NSTemporaryDirectory() + "restgate-redis-url-\(closed)"
        try "  redis://default:pw-7Hq2x@127.0.0.1:\(closed)/0\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let restgate = try RestgateProcess(arguments: ["--redis-url-file", file])
        let client = try restgate.connect()
        let body = "{}"
        try client.send(
            "POST /invitations HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln\r\n"
                + "Idempotency-Key: k-1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let answer = try client.readResponse()
        #expect(answer.status == 503)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("STORE_UNAVAILABLE"))
        #expect(!restgate.child.log.contains("pw-7Hq2x"))

        let both = try RestgateProcess.run(["--redis-url", "redis://127.0.0.1:1/0", "--redis-url-file", file])
        #expect(both.status != 0)
        #expect(both.log.contains("--redis-url and --redis-url-file exclude each other"))
    }

    /// `result: "."` trapped the route compiler (issue 11): it must name the line instead.
    @Test func aRouteFileThatCannotBeUsedNamesItsLineAndTheProcessExitsCleanly() throws {
        let file = NSTemporaryDirectory() + "restgate-routes-\(getpid()).yaml"
        let yaml = BuiltInConfiguration.routesYAML.replacingOccurrences(of: "result: riskGroups\n", with: "result: \".\"\n")
        #expect(yaml != BuiltInConfiguration.routesYAML)
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let (status, log) = try RestgateProcess.run(["--routes", file, "--port", "0"])
        #expect(status == 1)
        #expect(log.contains("route listRiskGroups: result must be a dotted path of GraphQL names"))
        #expect(log.range(of: #"route file line \d+"#, options: .regularExpression) != nil)
    }

    /// `restgate check` prints every route's problem with its line and exits 1; 0 for a good file.
    @Test func checkNamesEveryProblemAndItsLine() throws {
        let good = try RestgateProcess.run(["check"])
        #expect(good.status == 0)
        #expect(good.log.contains("built-in routes: ok"))
        let file = NSTemporaryDirectory() + "restgate-check-\(getpid()).yaml"
        let yaml = BuiltInConfiguration.routesYAML
            .replacingOccurrences(
                of: "riskGroups(first: $first, after: $after)", with: "riskGroups(first: $first, after: $after, color: RED)"
            )
            .replacingOccurrences(
                of: "createOrganizationInvitation(input: $input)", with: "createOrganizationInvitation(input: $input, dryRun: true)")
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let bad = try RestgateProcess.run(["check", "--routes", file])
        #expect(bad.status == 1)
        #expect(bad.log.contains("route listRiskGroups: the document does not fit the unioo schema"))
        #expect(bad.log.contains("route createInvitation: the document does not fit the unioo schema"))
        #expect(bad.log.contains("2 problems"))
        #expect(bad.log.range(of: #"restgate-check-\d+\.yaml:\d+: route listRiskGroups"#, options: .regularExpression) != nil)
    }

    @Test func environmentVariablesConfigureAndFlagsWin() throws {
        let (status, log) = try RestgateProcess.run(["--port", "not-a-port"], environment: ["RESTGATE_PORT": "1"])
        #expect(status != 0)
        #expect(log.contains("not-a-port"))
        let fromEnvironment = try RestgateProcess.run([], environment: ["RESTGATE_LOG_FORMAT": "xml"])
        #expect(fromEnvironment.status != 0)
        #expect(fromEnvironment.log.contains("--log-format must be text or json"))
    }

    @Test func withoutUpstreamURLsTheSandboxIsStartedAndItsCredentialsPrinted() throws {
        let restgate = try RestgateProcess(arguments: ["--readiness-interval", "0.2"])
        var ready = try restgate.connect()
        try ready.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        var response = try ready.readResponse()
        for _ in 0..<50 where response.status != 200 {
            usleep(50000)
            ready = try restgate.connect()
            try ready.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
            response = try ready.readResponse()
        }
        #expect(response.status == 200)
        #expect(response.text.contains(#""sandbox":true"#))
        let log = restgate.child.log
        #expect(log.contains("sandbox-bank"))
        #expect(log.contains("advisor@sandbox.example"))
        #expect(log.contains("upstream unioo has no URL: using the built-in sandbox"))
    }

    @Test func requireUpstreamsRefusesToStartWithoutURLs() throws {
        let (status, log) = try RestgateProcess.run(["--require-upstreams", "--upstream", "unioo=http://127.0.0.1:1/graphql"])
        #expect(status != 0)
        #expect(log.contains("no URL for upstream(s) elements and --require-upstreams is set"))
        let (envStatus, envLog) = try RestgateProcess.run(
            ["--require-upstreams"], environment: ["RESTGATE_UPSTREAM_ELEMENTS_URL": "https://elements.example/graphql"])
        #expect(envStatus != 0)
        #expect(envLog.contains("no URL for upstream(s) unioo and --require-upstreams is set"))
        let (badStatus, badLog) = try RestgateProcess.run(["--upstream", "unioo=ftp://x"])
        #expect(badStatus != 0)
        #expect(badLog.contains("--upstream unioo: 'ftp://x' is not an http:// or https:// URL."))
    }

    @Test func theRoutePlanIsMadeByAHelperAndServedAsMade() throws {
        let restgate = try RestgateProcess()
        let connection = try restgate.connect()
        try connection.send("GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n")
        let served = try connection.readResponse()
        #expect(served.status == 200)
        let validator = try RouteValidator()
        let document = try OpenAPIDocument(routeFile: BuiltInConfiguration.routesYAML, validator: validator)
        #expect(served.body == document.jsonBytes)
        let log = restgate.child.log
        #expect(log.contains("route plan made helperPeakRSSMiB="))
        #expect(!log.contains("compiling in this process"))

        let path = "/tmp/restgate-plan-test-\(getpid()).yaml"
        let broken = BuiltInConfiguration.routesYAML.replacingOccurrences(of: "isPrimary }", with: "isPrimry }")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(broken.utf8)))
        defer { unlink(path) }
        let (status, startLog) = try RestgateProcess.run(["--routes", path, "--require-upstreams"] + Self.upstreamURLs)
        #expect(status != 0)
        #expect(startLog.contains("the route file cannot be used: route file line "))
        #expect(startLog.contains("isPrimry"))
    }

    /// URLs for both upstreams that nothing answers on: enough to get past the sandbox.
    private static let upstreamURLs = [
        "--upstream", "unioo=http://127.0.0.1:9/graphql", "--upstream", "elements=http://127.0.0.1:9/graphql",
    ]

    @Test func sandboxSubcommandServesBothUpstreams() throws {
        let port = try LoopbackPort.free()
        let child = try ChildProcess(executable: RestgateProcess.binary, arguments: ["sandbox", "--port", String(port)])
        defer { child.stop() }
        var connection: RawConnection?
        for _ in 0..<100 where connection == nil {
            connection = try? RawConnection(port: port)
            if connection == nil { usleep(25000) }
        }
        let client = try #require(connection)
        let body =
            #"{"query":"mutation { authenticate(input: {clientId: \"sandbox-bank\", secret: \"sandbox-secret\"}) { authenticationPayload { jwt } } }"}"#
        try client.send(
            "POST /unioo/graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        )
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text.hasPrefix(#"{"data":{"authenticate":{"authenticationPayload":{"jwt":""#))
        #expect(child.stop() == 0)
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
