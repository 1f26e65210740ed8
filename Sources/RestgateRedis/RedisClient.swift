public import RestgateRuntime
public import RestgateStore
package import RestgateUpstream
import Synchronization

/// Restgate's Redis client: one pipelined connection per event loop, used from a request's
/// task on that loop, so a command takes no lock and resumes with no thread hop.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    let address: HostAddress
    /// For `rediss://`: the upstreams' trust settings.
    let tlsContext: TLSContext?
    private let connections = Mutex<[ObjectIdentifier: Box]>([:])
    private let errorCount = Atomic<Int>(0)
    private let lastFailureNanoseconds = Atomic<UInt64>(0)
    private let lastSuccessNanoseconds = Atomic<UInt64>(0)

    /// `@unchecked Sendable`: a connection is only used on its own loop.
    private final class Box: @unchecked Sendable {
        let connection: RedisConnection
        init(_ connection: RedisConnection) { self.connection = connection }
    }

    /// Resolves Redis's address now and again in the background (`HostAddress`, never on a
    /// loop); `tls` is used for `rediss://`.
    package init(configuration: RedisConfiguration, tls: TLSConfiguration = TLSConfiguration()) throws(StoreError) {
        self.configuration = configuration
        do {
            tlsContext = configuration.usesTLS ? try TLSContext(configuration: tls) : nil
        } catch {
            throw StoreError("cannot set up TLS for Redis: \(error)")
        }
        address = HostAddress(host: configuration.host, port: configuration.port)
    }

    /// Commands that failed (connection, timeout, protocol), for metrics.
    public var errors: Int { errorCount.load(ordering: .relaxed) }
    /// Whether the last command answered (or none has failed yet).
    public var isAvailable: Bool { lastSuccessNanoseconds.load(ordering: .relaxed) >= lastFailureNanoseconds.load(ordering: .relaxed) }

    /// Sends one command, written already, and waits for the reply; call it from a task on `loop`.
    public func send(_ written: RESPCommand, on loop: EventLoop) async -> Result<RESPValue, StoreError> {
        let command = written.bytes
        let box = connection(for: loop)
        // Unsafe: the connection hands every command exactly one result (a reply, or the
        // failure of its connection or its timeout).
        let result: Result<RESPValue, StoreError> = await withUnsafeContinuation { continuation in
            if loop.inLoop {
                box.connection.send(command) { continuation.resume(returning: $0) }
            } else {
                loop.execute { box.connection.send(command) { continuation.resume(returning: $0) } }
            }
        }
        if case .success(let reply) = result, case .error = reply {
        } else if case .success = result {
            lastSuccessNanoseconds.store(Instant.now().nanoseconds, ordering: .relaxed)
        }
        return result
    }

    func recordFailure() {
        errorCount.add(1, ordering: .relaxed)
        lastFailureNanoseconds.store(Instant.now().nanoseconds, ordering: .relaxed)
    }

    private func connection(for loop: EventLoop) -> Box {
        connections.withLock { connections in
            if let box = connections[ObjectIdentifier(loop)] { return box }
            let box = Box(RedisConnection(client: self, loop: loop))
            connections[ObjectIdentifier(loop)] = box
            return box
        }
    }
}
