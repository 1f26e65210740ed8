import COpenSSL
package import RestgateGzip
import RestgateHTTP
import RestgateJSON
package import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The connections to one upstream on one event loop: idle ones reused newest first, new ones
/// opened up to the limit, and calls queued (in order) beyond it.
package final class UpstreamPool {
    package let loop: EventLoop
    package let url: UpstreamURL
    package let address: SocketAddress
    package let configuration: UpstreamConfiguration
    package let statistics: UpstreamStatistics
    package let decompressor = GzipDecompressor()
    package let tlsContext: TLSContext?
    /// The last TLS session, offered to the next connection so its handshake is abbreviated.
    private(set) var tlsSession: OpaquePointer?
    private var idle: [UpstreamConnection] = []
    /// A connection idle for less than this is reused without the `MSG_PEEK` probe, provided
    /// the loop has polled since it went idle and that poll was not full. Idle connections stay
    /// registered for reading, and a call starts from a job that runs after the loop handled
    /// every event of its poll: an upstream that closed the connection before that poll has
    /// had its close seen and the connection dropped. A close that came with the answer keeps
    /// the connection out of the pool (`UpstreamConnection.peerClosed`). Upstreams close idle
    /// connections after seconds, not milliseconds. Under load this saves a system call per
    /// request (bench/RESULTS.md).
    package static let unprobedIdle: Duration = .milliseconds(500)
    private var openCount = 0
    private var waiting: [UpstreamCall] = []
    private var isShutDown = false

    package init(
        loop: EventLoop, url: UpstreamURL, address: SocketAddress, configuration: UpstreamConfiguration, statistics: UpstreamStatistics,
        tlsContext: TLSContext?
    ) {
        self.tlsContext = tlsContext
        self.loop = loop
        self.url = url
        self.address = address
        self.configuration = configuration
        self.statistics = statistics
    }

    package func execute(_ call: UpstreamCall) {
        loop.assertInLoop()
        if call.deadlineTimer == nil {
            call.deadlineTimer = loop.schedule(after: call.deadline.duration(since: Instant.now())) { [weak self, weak call] in
                guard let self, let call else { return }
                self.expire(call)
            }
        }
        // Calls already waiting go first: a new call never overtakes them.
        guard waiting.isEmpty else {
            waiting.append(call)
            return
        }
        while let connection = idle.popLast() {
            let idleFor = loop.now.duration(since: connection.idleSince)
            // Trusted without a probe: watched by at least one whole poll since it went idle,
            // that poll not full, and idle only briefly.
            let trusted = connection.idleSincePoll < loop.polls && !loop.lastPollFilledBatch && idleFor < Self.unprobedIdle
            if idleFor < configuration.idleTimeout, trusted || connection.isAlive() {
                connection.start(call)
                return
            }
            connection.close()
        }
        guard openCount < configuration.maxConnectionsPerLoop else {
            waiting.append(call)
            return
        }
        open(for: call)
    }

    private func open(for call: UpstreamCall) {
        do {
            let (descriptor, connected) = try address.connect()
            let connection = UpstreamConnection(descriptor: descriptor, pool: self)
            do {
                try loop.register(descriptor, handler: connection, interest: .none)
            } catch {
                close(descriptor)
                call.finish(.failure(.unavailable("epoll: \(error)")))
                return
            }
            openCount += 1
            connection.start(call)
            if connected { connection.connected() }
        } catch {
            call.finish(.failure(error))
        }
    }

    private func expire(_ call: UpstreamCall) {
        if let index = waiting.firstIndex(where: { $0 === call }) { waiting.remove(at: index) }
        if let connection = call.connection {
            connection.fail(.timeout, retryable: false)
        }
        call.finish(.failure(.timeout))
    }

    /// The client is gone: idle connections close now, busy ones when their call ends.
    package func shutDown() {
        isShutDown = true
        for connection in idle { connection.close() }
    }

    deinit {
        if let tlsSession { SSL_SESSION_free(tlsSession) }
    }

    package func handshakeFinished(_ session: TLSSession) {
        if session.isResumed { statistics.recordTLSResumption() }
        rememberSession(of: session)
    }

    /// With TLS 1.3 the resumable session arrives in a ticket after the handshake, so it is
    /// taken again once an answer has been read.
    package func rememberSession(of session: TLSSession) {
        guard let copy = session.copySession() else { return }
        if let tlsSession { SSL_SESSION_free(tlsSession) }
        tlsSession = copy
    }

    package func connectionOpened() {
        statistics.recordConnectionOpened()
    }

    package func release(_ connection: UpstreamConnection) {
        if isShutDown {
            connection.close()
            return
        }
        if !waiting.isEmpty {
            connection.start(waiting.removeFirst())
            return
        }
        connection.parkIdle()
        idle.append(connection)
    }

    package func connectionClosed(_ connection: UpstreamConnection) {
        openCount -= 1
        idle.removeAll { $0 === connection }
        serveWaiting()
    }

    /// Opens connections for queued calls while there is room; a call whose connection cannot
    /// even be started fails at once and the next one gets the slot.
    private func serveWaiting() {
        while !waiting.isEmpty, openCount < configuration.maxConnectionsPerLoop {
            open(for: waiting.removeFirst())
        }
    }

    /// A connection failed while carrying `call`: retried once on a fresh connection when the
    /// failure allows it, otherwise finished with the error.
    package func connectionFailed(_ call: UpstreamCall, error: UpstreamError, retryable: Bool) {
        if retryable, call.attempts < 2, loop.now < call.deadline {
            statistics.recordRetry()
            // The retry counts against the limit like any call, ahead of those waiting.
            if openCount < configuration.maxConnectionsPerLoop {
                open(for: call)
            } else {
                waiting.insert(call, at: 0)
            }
        } else {
            call.finish(.failure(error))
        }
    }
}
