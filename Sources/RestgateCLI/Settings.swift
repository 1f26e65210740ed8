import ArgumentParser
import Foundation
import Logging
import RestgateConfiguration
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

/// The command line and `RESTGATE_*` variables merged and checked: a bad value stops the
/// start with a message naming the option, rather than running with a surprise.
struct Settings {
    var server = HTTPServerConfiguration()
    var logFormat = LogFormat.text
    var logLevel = Logger.Level.info
    var upstreams: [String: UpstreamURL] = [:]
    var upstreamTLS = TLSConfiguration()
    var upstreamClient = UpstreamConfiguration()
    var requireUpstreams = false
    var readinessInterval: Duration = .seconds(5)
    var sandbox = SandboxSettings()
    var routesFile: String?
    var routesYAML = BuiltInConfiguration.routesYAML
    var schemaOverrides: [String: String] = [:]
    /// Where each override was read from, so that a reload reads it again.
    var schemaFiles: [String: String] = [:]

    init(command: RestgateCommand, environment: Environment) throws {
        func value<T>(_ flag: T?, _ name: String, parse: (String) -> T?) throws -> T? {
            if let flag { return flag }
            guard let text = environment.values["RESTGATE_" + name] else { return nil }
            guard let parsed = parse(text) else {
                throw ValidationError("RESTGATE_\(name)='\(text)' is not a valid value.")
            }
            return parsed
        }
        func integer(_ flag: Int?, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let number = try value(flag, name, parse: { Int($0) }) else { return nil }
            guard range.contains(number) else {
                throw ValidationError(
                    "--\(name.lowercased().replacingUnderscores()) must be between \(range.lowerBound) and \(range.upperBound); got \(number)."
                )
            }
            return number
        }
        func seconds(_ flag: Double?, _ name: String) throws -> Duration? {
            guard let number = try value(flag, name, parse: { Double($0) }) else { return nil }
            guard number > 0, number <= 86400 else {
                throw ValidationError("--\(name.lowercased().replacingUnderscores()) must be a number of seconds above 0; got \(number).")
            }
            return .milliseconds(Int64(number * 1000))
        }

        if let host = try value(command.host, "HOST", parse: { $0 }) { server.host = host }
        if let port = try integer(command.port, "PORT", 0...65535) { server.port = UInt16(port) }
        if let threads = try integer(command.threads, "THREADS", 1...256) { server.threads = threads }
        if let maximum = try integer(command.maxConnections, "MAX_CONNECTIONS", 1...1_000_000) { server.maxConnections = maximum }
        if let maximum = try integer(command.maxTargetBytes, "MAX_TARGET_BYTES", 16...1_048_576) { server.head.maxTargetLength = maximum }
        if let maximum = try integer(command.maxHeaderBytes, "MAX_HEADER_BYTES", 256...1_048_576) { server.head.maxHeaderBytes = maximum }
        if let maximum = try integer(command.maxHeaderCount, "MAX_HEADER_COUNT", 1...10000) { server.head.maxHeaderCount = maximum }
        if let maximum = try integer(command.maxBodyBytes, "MAX_BODY_BYTES", 0...1_073_741_824) { server.maxBodyBytes = maximum }
        if let timeout = try seconds(command.headerTimeout, "HEADER_TIMEOUT") { server.headerTimeout = timeout }
        if let timeout = try seconds(command.idleTimeout, "IDLE_TIMEOUT") { server.idleTimeout = timeout }
        if let timeout = try seconds(command.bodyTimeout, "BODY_TIMEOUT") { server.bodyTimeout = timeout }
        if let timeout = try seconds(command.drainTimeout, "DRAIN_TIMEOUT") { server.drainTimeout = timeout }
        if let timeout = try seconds(command.sendTimeout, "SEND_TIMEOUT") { server.sendTimeout = timeout }
        if let maximum = try integer(command.maxBufferedResponseBytes, "MAX_BUFFERED_RESPONSE_BYTES", 65536...(1 << 40)) {
            server.maxBufferedResponseBytes = maximum
        }
        if let maximum = try integer(command.maxBufferedRequestBytes, "MAX_BUFFERED_REQUEST_BYTES", 65536...(1 << 40)) {
            server.maxBufferedRequestBytes = maximum
        }
        if let minimum = try integer(command.gzipMinBytes, "GZIP_MIN_BYTES", 0...1_073_741_824) { server.gzipMinimumBytes = minimum }
        if let level = try integer(command.gzipLevel, "GZIP_LEVEL", 1...9) { server.gzipLevel = Int32(level) }
        upstreams = try Self.upstreams(flags: command.upstream, environment: environment)
        let proxies =
            command.trustedProxy.isEmpty
            ? (environment.values["RESTGATE_TRUSTED_PROXIES"] ?? "").split(separator: ",").map {
                String($0.trimmingCharacters(in: .whitespaces))
            }
            : command.trustedProxy
        server.trustedProxies = try proxies.filter { !$0.isEmpty }.map { text in
            guard let range = AddressRange(text) else {
                throw ValidationError("--trusted-proxy: '\(text)' is not an address or CIDR range.")
            }
            return range
        }
        if let family = try value(command.forwardedHeaders, "FORWARDED_HEADERS", parse: { $0 }) {
            guard let parsed = ForwardedHeaderFamily(rawValue: family.lowercased()) else {
                throw ValidationError("--forwarded-headers must be x-forwarded or forwarded; got '\(family)'.")
            }
            server.forwardedHeaders = parsed
        }
        if let file = try value(command.routes, "ROUTES", parse: { $0 }) {
            routesFile = file
            routesYAML = try Self.read(file, option: "--routes")
        }
        for entry in command.schema {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--schema takes NAME=FILE, e.g. unioo=unioo.graphql; got '\(entry)'.") }
            schemaOverrides[parts[0].lowercased()] = try Self.read(String(parts[1]), option: "--schema \(parts[0])")
            schemaFiles[parts[0].lowercased()] = String(parts[1])
        }
        if let file = try value(command.upstreamCaFile, "UPSTREAM_CA_FILE", parse: { $0 }) { upstreamTLS.caFile = file }
        if let timeout = try seconds(command.upstreamTimeout, "UPSTREAM_TIMEOUT") { upstreamClient.requestTimeout = timeout }
        if let timeout = try seconds(command.upstreamConnectTimeout, "UPSTREAM_CONNECT_TIMEOUT") { upstreamClient.connectTimeout = timeout }
        if let size = try integer(command.upstreamPoolSize, "UPSTREAM_POOL_SIZE", 1...10000) { upstreamClient.maxConnectionsPerLoop = size }
        if let interval = try seconds(command.readinessInterval, "READINESS_INTERVAL") { readinessInterval = interval }
        requireUpstreams =
            command.requireUpstreams || ["1", "true", "yes"].contains(environment.values["RESTGATE_REQUIRE_UPSTREAMS"]?.lowercased() ?? "")
        if let quota = try integer(command.sandboxInvitationsPerMonth, "SANDBOX_INVITATIONS_PER_MONTH", 0...100_000) {
            sandbox.invitationsPerMonth = quota
        }
        if let quota = try integer(command.sandboxInvitationsPerWeek, "SANDBOX_INVITATIONS_PER_WEEK", 0...100_000) {
            sandbox.invitationsPerWeek = quota
        }
        if let format = try value(command.logFormat, "LOG_FORMAT", parse: { $0 }) {
            guard let parsed = LogFormat(rawValue: format) else {
                throw ValidationError("--log-format must be text or json; got '\(format)'.")
            }
            logFormat = parsed
        }
        if let level = try value(command.logLevel, "LOG_LEVEL", parse: { $0 }) {
            guard let parsed = Logger.Level(rawValue: level) else {
                throw ValidationError(
                    "--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")); got '\(level)'.")
            }
            logLevel = parsed
        }
    }
}

extension Settings {
    static func read(_ path: String, option: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("\(option): cannot read '\(path)'.")
        }
        return text
    }

    /// `--upstream NAME=URL` (repeatable) over `RESTGATE_UPSTREAM_<NAME>_URL`.
    static func upstreams(flags: [String], environment: Environment) throws -> [String: UpstreamURL] {
        var result: [String: UpstreamURL] = [:]
        for (key, text) in environment.values where key.hasPrefix("RESTGATE_UPSTREAM_") && key.hasSuffix("_URL") {
            let name = String(key.dropFirst("RESTGATE_UPSTREAM_".count).dropLast("_URL".count)).lowercased()
            guard !name.isEmpty, let url = UpstreamURL(text) else {
                throw ValidationError("\(key)='\(text)' is not an http:// or https:// URL.")
            }
            result[name] = url
        }
        for flag in flags {
            let parts = flag.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ValidationError("--upstream takes NAME=URL, e.g. unioo=https://api.example/graphql; got '\(flag)'.")
            }
            guard let url = UpstreamURL(String(parts[1])) else {
                throw ValidationError("--upstream \(parts[0]): '\(parts[1])' is not an http:// or https:// URL.")
            }
            result[parts[0].lowercased()] = url
        }
        return result
    }
}

extension String {
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
