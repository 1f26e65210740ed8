import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `restgate probe`: asks a running gateway for one of its health endpoints and exits 0 on a
/// 2xx answer, 1 otherwise, so a container's health check needs neither a shell nor curl.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restgate probe",
        abstract: "Ask a running gateway for a health endpoint; exit 0 on a 2xx answer, 1 otherwise.",
        discussion: """
            The port defaults to RESTGATE_ADMIN_PORT when it is set, else RESTGATE_PORT, else 8080, \
            so in a container that runs `restgate` with its settings in the environment, \
            `restgate probe` asks the same process.
            """)

    @Option(help: "Address to ask.")
    var host = "127.0.0.1"

    @Option(help: "Port to ask (default: RESTGATE_ADMIN_PORT, else RESTGATE_PORT, else 8080).")
    var port: Int?

    @Option(help: "Path to ask for: /healthz (the process is alive) or /readyz (it can serve).")
    var path = "/healthz"

    @Option(help: "Seconds the whole exchange may take.")
    var timeout = 2.0

    @Flag(help: "Print nothing, not even why the probe failed.")
    var quiet = false

    func validate() throws {
        guard path.hasPrefix("/"), path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw ValidationError("--path must start with / and hold no spaces; got '\(path)'.")
        }
        guard timeout > 0, timeout <= 60 else { throw ValidationError("--timeout must be in (0, 60] seconds.") }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be in 1...65535.") }
    }

    func run() throws {
        let port = port ?? Self.portFromEnvironment()
        do {
            let status = try HealthProbe(host: host, port: port, path: path, timeout: timeout).status()
            guard (200..<300).contains(status) else {
                report("\(host):\(port)\(path) answered \(status)")
                throw ExitCode.failure
            }
        } catch let failure as HealthProbe.Failure {
            report("\(host):\(port)\(path): \(failure.reason)")
            throw ExitCode.failure
        }
    }

    private static func portFromEnvironment() -> Int {
        for name in ["RESTGATE_ADMIN_PORT", "RESTGATE_PORT"] {
            if let text = ProcessInfo.processInfo.environment[name], let value = Int(text), (1...65535).contains(value) {
                return value
            }
        }
        return 8080
    }

    private func report(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data(("restgate probe: " + line + "\n").utf8))
    }
}
