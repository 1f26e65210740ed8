import RestgateGzip
import RestgateHTTP
import RestgateJSON
public import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Restgate's HTTP/1.1 client for one upstream. It lives on the server's event loops: each
/// loop has its own keep-alive pool, and a call made from a request's task runs on that
/// task's loop, so it takes no lock on the way and resumes with no thread hop.
public final class UpstreamClient: Sendable {
    public let name: String
    public let url: UpstreamURL
    public let configuration: UpstreamConfiguration
    public let statistics = UpstreamStatistics()
    private let address: HostAddress
    /// What follows the request line's path up to the body's length, the same on every call.
    private let hostLine: [UInt8]
    private let tlsContext: TLSContext?
    /// One pool per loop, made on first use; the lock is held only to find it.
    private let pools = Mutex<[ObjectIdentifier: PoolBox]>([:])

    /// `@unchecked Sendable`: a pool is only ever used on its own loop; the box only carries it
    /// through the dictionary that finds it.
    private final class PoolBox: @unchecked Sendable {
        let pool: UpstreamPool
        init(_ pool: UpstreamPool) { self.pool = pool }
    }

    /// Resolves the upstream's address now (never on a loop, since DNS may block), and again
    /// in the background (`HostAddress`).
    public init(
        name: String, url: UpstreamURL, configuration: UpstreamConfiguration = UpstreamConfiguration(),
        tls: TLSConfiguration = TLSConfiguration()
    ) throws(UpstreamError) {
        self.name = name
        self.url = url
        self.configuration = configuration
        self.address = HostAddress(host: url.host, port: url.port)
        hostLine = Array(" HTTP/1.1\r\nHost: \(url.hostHeader)\r\nContent-Length: ".utf8)
        self.tlsContext = url.usesTLS ? try TLSContext(configuration: tls) : nil
        // OpenSSL writes to the socket with write(2); a peer gone mid-write must not kill us.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        for box in pools.withLock({ Array($0.values) }) {
            box.pool.loop.execute { box.pool.shutDown() }
        }
    }

    /// Sends `request` and waits for the whole answer. Call it from a task running on `loop`
    /// (a request handler's loop); from elsewhere it hops to the loop and back.
    public func send(_ request: UpstreamRequest, on loop: EventLoop) async -> Result<UpstreamResponse, UpstreamError> {
        let bytes = serialize(request)
        let deadline = loop.clock.now + configuration.requestTimeout
        let isIdempotent = request.isIdempotent
        let box = pool(for: loop)
        return await withCheckedContinuation { continuation in
            let start: @Sendable () -> Void = {
                let call = UpstreamCall(bytes: bytes, isIdempotent: isIdempotent, deadline: deadline) { result in
                    continuation.resume(returning: result)
                }
                box.pool.execute(call)
            }
            if loop.inLoop { start() } else { loop.execute(start) }
        }
    }

    /// The pooled connections of every loop, each counted on its own loop.
    public func connectionCounts() async -> (idle: Int, busy: Int) {
        var idle = 0
        var busy = 0
        for box in pools.withLock({ Array($0.values) }) {
            let counts = await withCheckedContinuation { continuation in
                box.pool.loop.execute { continuation.resume(returning: box.pool.connectionCounts) }
            }
            idle += counts.idle
            busy += counts.busy
        }
        return (idle, busy)
    }

    private func pool(for loop: EventLoop) -> PoolBox {
        pools.withLock { pools in
            if let box = pools[ObjectIdentifier(loop)] { return box }
            let box = PoolBox(
                UpstreamPool(
                    loop: loop, url: url, address: address, configuration: configuration, statistics: statistics, tlsContext: tlsContext))
            pools[ObjectIdentifier(loop)] = box
            return box
        }
    }

    /// The request's bytes, written into one array sized up front (building the head as
    /// interpolated `String`s was 16 allocations a request).
    private func serialize(_ request: UpstreamRequest) -> [UInt8] {
        var capacity = request.method.utf8.count + request.path.utf8.count + hostLine.count + 20
        for header in request.headers { capacity += header.name.utf8.count + header.value.utf8.count + 4 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity + 80 + request.body.count)
        bytes.appendUTF8(request.method)
        bytes.append(UInt8(ascii: " "))
        bytes.appendUTF8(request.path)
        bytes.append(contentsOf: hostLine)
        bytes.appendDecimal(request.body.count)
        bytes.appendLiteral("\r\nAccept-Encoding: gzip\r\n")
        for header in request.headers {
            bytes.appendUTF8(header.name)
            bytes.appendLiteral(": ")
            bytes.appendUTF8(header.value)
            bytes.appendLiteral("\r\n")
        }
        bytes.appendLiteral("\r\n")
        bytes.append(contentsOf: request.body)
        return bytes
    }
}
