import Logging
import RestgateGateway
import RestgateHTTP
import RestgateJSON
import RestgateRouteCompiler
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// Makes the route plan in a helper process, `restgate compile-routes`, and reads it back.
///
/// The helper maps the YAML and GraphQL code, reads the route file and the schemas from its
/// stdin and writes the plan (or why the routes cannot be used) to its stdout, then exits.
/// The serving process decodes the plan and never runs that code, so its peak RSS is what
/// serving needs rather than what start-up needed (bench/RESULTS.md).
enum RouteCompiler {
    /// The helper's own subcommand: input on stdin, `RoutePlan.Outcome` as JSON on stdout.
    static let subcommand = "compile-routes"

    /// How long a helper may take; the built-in routes take ~0.2 s in a debug build.
    static let deadlineSeconds = 60

    /// Why there is no plan: the route file does not fit (`routes`), or the helper failed
    /// (`helper`: it crashed, was killed, hung, or answered nonsense).
    enum Failure: Error, CustomStringConvertible {
        case routes(String)
        case helper(String)

        var description: String {
            switch self {
            case .routes(let message): "the route file cannot be used: \(message)"
            case .helper(let message): "the route compiler failed: \(message)"
            }
        }
    }

    /// The plan for `input`, made by a helper; made in this process if no helper can be
    /// started.
    static func plan(for input: RoutePlan.Input, logger: Logger) throws(Failure) -> RoutePlan {
        let started = Instant.now()
        var (outcome, metadata) = try outcome(for: input, logger: logger)
        switch outcome {
        case .failure(let message):
            throw Failure.routes(message)
        case .problems:
            throw Failure.helper("it answered with problems where a plan was asked for")
        case .plan(let plan):
            metadata["milliseconds"] = .stringConvertible((Instant.now().nanoseconds - started.nanoseconds) / 1_000_000)
            logger.info("route plan made", metadata: metadata)
            return plan
        }
    }

    /// Every route's problem against the schemas `input` names (none: all fit), by the helper.
    static func problems(for input: RoutePlan.Input, logger: Logger) throws(Failure) -> [RoutePlan.Problem] {
        var everything = input
        everything.everyProblem = true
        switch try outcome(for: everything, logger: logger).outcome {
        case .failure(let message): throw Failure.routes(message)
        case .problems(let problems): return problems
        case .plan: throw Failure.helper("it answered with a plan where problems were asked for")
        }
    }

    private static func outcome(for input: RoutePlan.Input, logger: Logger) throws(Failure) -> (
        outcome: RoutePlan.Outcome, metadata: Logger.Metadata
    ) {
        let outcome: RoutePlan.Outcome
        var metadata: Logger.Metadata = [:]
        do {
            let (bytes, peakKiB) = try runHelper(input: RoutePlan.encode(input))
            do {
                outcome = try RoutePlan.decode(RoutePlan.Outcome.self, from: bytes)
            } catch {
                throw Failure.helper("its answer does not decode: \(error)")
            }
            metadata["helperPeakRSSMiB"] = .string(String(format1: Double(peakKiB) / 1024))
        } catch let failure as SpawnFailure {
            logger.notice("cannot start the route compiler; compiling in this process", metadata: ["error": .string(failure.description)])
            outcome = RoutePlan.make(input)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.helper("\(error)")
        }
        return (outcome, metadata)
    }

    /// The helper's side: reads the input from stdin, writes the outcome to stdout.
    static func serveAsHelper() -> Int32 {
        guard let bytes = try? readAll(0, deadline: nil), let input = try? RoutePlan.decode(RoutePlan.Input.self, from: bytes) else {
            try? writeAll(2, Array("restgate compile-routes: stdin does not hold a route plan input\n".utf8), deadline: nil)
            return 2
        }
        return (try? writeAll(1, RoutePlan.encode(RoutePlan.make(input)), deadline: nil)) != nil ? 0 : 1
    }

    struct SpawnFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `/proc/self/exe compile-routes`, feeding `input`; returns its stdout and peak RSS.
    /// One deadline covers writing the input and reading the answer; past it the helper is
    /// killed.
    private static func runHelper(input: [UInt8]) throws -> (output: [UInt8], peakKiB: Int) {
        // Under valgrind, /proc/self/exe is valgrind's tool, not restgate: profiling runs
        // compile in the process instead.
        if getenv("RESTGATE_ROUTE_COMPILER").map({ String(cString: $0) }) == "in-process" {
            throw SpawnFailure(description: "RESTGATE_ROUTE_COMPILER=in-process")
        }
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { throw SpawnFailure(description: "pipe: errno \(errno)") }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw SpawnFailure(description: "pipe: errno \(errno)")
        }
        // Only the dup2'd copies reach the helper (no other thread of this process spawns or
        // execs, so the moment before FD_CLOEXEC is set cannot leak them).
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        // Our ends never block: the deadline is kept by poll.
        for descriptor in [toChild[1], fromChild[0]] { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        // The server blocks SIGTERM and SIGINT for its sigwait; the helper gets them back, so
        // Ctrl-C (the whole process group) or a signal sent to it stops it like any process.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let executable = "/proc/self/exe"
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("restgate"), strdup(subcommand), nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw SpawnFailure(description: "posix_spawn \(executable): errno \(spawned)")
        }
        let deadline = Instant.now() + .seconds(deadlineSeconds)
        // A helper that dies early makes the write fail with EPIPE, not a signal.
        signal(SIGPIPE, SIG_IGN)
        var result: Result<[UInt8], Failure>
        do {
            // The helper reads all of its input before it writes: writing first cannot deadlock.
            try writeAll(toChild[1], input, deadline: deadline)
            close(toChild[1])
            toChild[1] = -1
            result = .success(try readAll(fromChild[0], deadline: deadline))
        } catch {
            result = .failure(error)
            kill(pid, SIGKILL)
        }
        if toChild[1] >= 0 { close(toChild[1]) }
        close(fromChild[0])
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        let output = try result.get()
        guard !output.isEmpty else {
            let signalled = status & 0x7f
            if signalled != 0, signalled != 0x7f { throw Failure.helper("it was stopped by signal \(signalled) before answering") }
            throw Failure.helper("it exited with status \((status >> 8) & 0xff) and no answer")
        }
        return (output, Int(usage.ru_maxrss))
    }

    /// Everything `descriptor` gives until end of file, waiting at most until `deadline`
    /// (a descriptor without a deadline may block).
    private static func readAll(_ descriptor: Int32, deadline: Instant?) throws(Failure) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return result }
            if count > 0 {
                result.append(contentsOf: chunk[0..<count])
                continue
            }
            if errno == EINTR { continue }
            guard errno == EAGAIN, let deadline else { throw .helper("reading its answer: errno \(errno)") }
            try wait(for: descriptor, Int16(POLLIN), until: deadline, doing: "answer")
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], deadline: Instant?) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                offset += count
                continue
            }
            if count < 0, errno == EINTR { continue }
            guard count < 0, errno == EAGAIN, let deadline else { throw .helper("writing its input: errno \(errno)") }
            try wait(for: descriptor, Int16(POLLOUT), until: deadline, doing: "take its input")
        }
    }

    private static func wait(for descriptor: Int32, _ events: Int16, until deadline: Instant, doing what: String) throws(Failure) {
        while true {
            let now = Instant.now()
            guard now < deadline else { throw .helper("it did not \(what) within \(deadlineSeconds) s") }
            var poller = pollfd(fd: descriptor, events: events, revents: 0)
            let remaining = (deadline.nanoseconds - now.nanoseconds) / 1_000_000 + 1
            let ready = poll(&poller, 1, Int32(min(remaining, 1000)))
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw .helper("poll: errno \(errno)") }
        }
    }
}

extension String {
    /// `value` with one decimal.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
