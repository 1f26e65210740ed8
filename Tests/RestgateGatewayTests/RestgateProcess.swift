import Foundation
import RestgateTestSupport

/// The real `restgate` binary, started on a free loopback port for one test.
final class RestgateProcess {
    let process = Process()
    let port: UInt16
    private let errors = Pipe()

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["RESTGATE_BINARY"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/restgate")
    }

    init(arguments: [String] = []) throws {
        port = try Self.freePort()
        process.executableURL = Self.binary
        process.arguments = ["--host", "127.0.0.1", "--port", String(port)] + arguments
        process.standardError = errors
        try process.run()
        for _ in 0..<200 {
            if (try? RawConnection(port: port)) != nil { return }
            usleep(25000)
        }
        throw TestFailure("restgate did not start listening on \(port)")
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func connect() throws -> RawConnection {
        try RawConnection(port: port)
    }

    func terminate() {
        kill(process.processIdentifier, SIGTERM)
    }

    /// Waits for exit and returns the status and everything written to stderr.
    func waitForExit() -> (status: Int32, log: String) {
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, log)
    }

    /// How many descriptors the process has open (its sockets, mostly).
    var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count) ?? -1
    }

    static func freePort() throws -> UInt16 {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(probe, pointer, length) == 0 ? getsockname(probe, pointer, &length) : -1
            }
        }
        guard result == 0 else { throw TestFailure("no free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}
