import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import RestgateServer

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, its stderr going to a file. Foundation's
/// `Process` and `Pipe` are avoided on purpose: under parallel tests their descriptor
/// handling closed sockets that belonged to other tests in this process.
public final class ChildProcess {
    public let pid: Int32
    public let logPath: String
    private var exitStatus: Int32?

    public init(executable: String, arguments: [String], environment: [String: String]? = nil) throws {
        logPath = "/tmp/restgate-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var inherited: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { inherited[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        let variables = (environment ?? [:]).merging(inherited.filter { !$0.key.hasPrefix("RESTGATE_") || $0.key == "RESTGATE_BINARY" }) {
            own, _ in own
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The child starts with no blocked signals and default handlers, whatever this test
        // process has set (an inherited blocked SIGTERM made nginx deaf to being stopped).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw TestFailure("posix_spawn \(executable): \(result)") }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = waitForExit()
        }
        unlink(logPath)
    }

    /// Asks the child to stop with `signal` (SIGTERM by default), and kills it if it has not
    /// exited within `grace`.
    @discardableResult
    public func stop(_ signal: Int32 = 15, grace: Duration = .seconds(5)) -> Int32 {
        if let exitStatus { return exitStatus }
        kill(pid, signal)
        let deadline = ContinuousClock.now + grace
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
                exitStatus = code
                return code
            }
            usleep(10000)
        }
        kill(pid, SIGKILL)
        return waitForExit()
    }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the child and returns its exit status (128 + signal when killed).
    @discardableResult
    public func waitForExit() -> Int32 {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitStatus = code
        return code
    }

    /// Everything the child wrote to stderr so far.
    public var log: String {
        guard let file = fopen(logPath, "r") else { return "" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
