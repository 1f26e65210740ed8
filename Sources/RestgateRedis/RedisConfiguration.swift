/// Where Redis is and how to talk to it, from `--redis-url redis://[user:password@]host:port/db`
/// (`rediss://` for TLS).
public struct RedisConfiguration: Sendable {
    public var host: String
    public var port: UInt16 = 6379
    public var user: String?
    public var password: String?
    public var database = 0
    /// `rediss://`: TLS, verified against the upstreams' CA options.
    public var usesTLS = false
    public var connectTimeout: Duration = .seconds(1)
    public var commandTimeout: Duration = .milliseconds(500)

    /// nil for anything but `redis://host[:port][/db]` or `rediss://…` with an optional
    /// `user:password@`.
    public init?(url: String) {
        guard let scheme = ["redis://", "rediss://"].first(where: url.hasPrefix) else { return nil }
        usesTLS = scheme == "rediss://"
        var rest = Substring(url.dropFirst(scheme.count))
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let name = String(credentials[..<colon])
                user = name.isEmpty ? nil : Self.percentDecoded(name)
                password = Self.percentDecoded(String(credentials[credentials.index(after: colon)...]))
            } else {
                password = Self.percentDecoded(String(credentials))
            }
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else { return nil }
                database = number
            }
        }
        if let colon = authority.lastIndex(of: ":") {
            guard let number = UInt16(authority[authority.index(after: colon)...]), number > 0 else { return nil }
            port = number
            authority = authority[..<colon]
        }
        guard !authority.isEmpty else { return nil }
        host = String(authority)
    }

    /// `host:port`, without credentials, for logs.
    public var address: String { "\(host):\(port)" }

    /// What a new connection sends before any command.
    var handshake: [[UInt8]] {
        var commands: [[UInt8]] = []
        if let password {
            commands.append(RESPValue.command([Array("AUTH".utf8)] + (user.map { [Array($0.utf8)] } ?? []) + [Array(password.utf8)]))
        }
        if database != 0 { commands.append(RESPValue.command([Array("SELECT".utf8), Array(String(database).utf8)])) }
        return commands
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let value = UInt8(String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
