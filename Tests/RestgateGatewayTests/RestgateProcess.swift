import RestgateTestSupport

@testable import RestgateGateway
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

/// The real `restgate` binary, started on a free loopback port for one test.
final class RestgateProcess {
    let child: ChildProcess
    let port: UInt16

    static var binary: String {
        if let path = getenv("RESTGATE_BINARY") { return String(cString: path) }
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/\(root)/.build/debug/restgate"
    }

    init(arguments: [String] = []) throws {
        port = try LoopbackPort.free()
        child = try ChildProcess(executable: Self.binary, arguments: ["--host", "127.0.0.1", "--port", String(port)] + arguments)
        for _ in 0..<200 {
            if (try? RawConnection(port: port)) != nil { return }
            usleep(25000)
        }
        throw TestFailure("restgate did not start listening on \(port): \(child.log)")
    }

    func connect() throws -> RawConnection {
        try RawConnection(port: port)
    }

    /// How many descriptors the process has open (its sockets, mostly).
    var openDescriptors: Int {
        guard let directory = opendir("/proc/\(child.pid)/fd") else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while readdir(directory) != nil { count += 1 }
        return count - 2
    }

    /// Runs the binary to completion with `arguments` and returns its status and stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, log: String) {
        let child = try ChildProcess(executable: binary, arguments: arguments, environment: environment)
        let status = child.waitForExit()
        return (status, child.log)
    }
}
