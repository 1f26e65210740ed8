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
    package let address: HostAddress
    package let configuration: UpstreamConfiguration
    package let statistics: UpstreamStatistics
    package let decompressor = GzipDecompressor()
    package let tlsContext: TLSContext?
    /// Where this loop's connections to the upstream read; a read's bytes are copied out
    /// before the next, so one buffer serves them all (allocating 64 KiB per read cost more
    /// instructions than the rest of the read).
    package let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    /// The last TLS session, offered to the next connection so its handshake is abbreviated.
    private(set) var tlsSession: OpaquePointer?
    private var state: UpstreamPoolState<UpstreamConnection, UpstreamCall>
    /// A connection idle for less than this is reused without the `MSG_PEEK` probe, provided
    /// the loop has polled since it went idle and that poll was not full. Idle connections stay
    /// registered for reading, and a call starts from a job that runs after the loop handled
    /// every event of its poll: an upstream that closed the connection before that poll has
    /// had its close seen and the connection dropped. A close that came with the answer keeps
    /// the connection out of the pool (`UpstreamConnection.peerClosed`). Upstreams close idle
    /// connections after seconds, not milliseconds. Under load this saves a system call per
    /// request (bench/RESULTS.md).
    package static let unprobedIdle: Duration = .milliseconds(500)

    package init(
        loop: EventLoop, url: UpstreamURL, address: HostAddress, configuration: UpstreamConfiguration, statistics: UpstreamStatistics,
        tlsContext: TLSContext?
    ) {
        self.tlsContext = tlsContext
        self.loop = loop
        self.url = url
        self.address = address
        self.configuration = configuration
        self.statistics = statistics
        state = UpstreamPoolState(
            limits: .init(
                maxConnections: configuration.maxConnectionsPerLoop, idleTimeout: configuration.idleTimeout, unprobedIdle: Self.unprobedIdle
            ))
    }

    private var loopView: UpstreamPoolState<UpstreamConnection, UpstreamCall>.LoopView {
        .init(now: loop.now, polls: loop.polls, lastPollWasFull: loop.lastPollFilledBatch)
    }

    package func execute(_ call: UpstreamCall) {
        loop.assertInLoop()
        if call.deadlineTimer == nil {
            call.deadlineTimer = loop.schedule(after: call.deadline.duration(since: loop.clock.now)) { [weak self, weak call] in
                guard let self, let call else { return }
                self.expire(call)
            }
        }
        for connection in state.removeExpired(now: loop.now) { connection.close() }
        while true {
            switch state.checkout(call, loop: loopView) {
            case .queued:
                return
            case .open:
                open(for: call)
                return
            case .reuse(let connection, let probe):
                if !probe || connection.isAlive() {
                    connection.start(call)
                    return
                }
                connection.close()  // reported back through `connectionClosed`; the next one is tried
            }
        }
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
            state.opened()
            connection.start(call)
            if connected { connection.connected() }
        } catch {
            call.finish(.failure(error))
        }
    }

    private func expire(_ call: UpstreamCall) {
        state.expired(call)
        if let connection = call.connection {
            connection.fail(.timeout, retryable: false)
        }
        call.finish(.failure(.timeout))
    }

    /// The client is gone: idle connections close now, busy ones when their call ends.
    /// Connections idle in the pool, and open ones that are not (connecting or in a call).
    package var connectionCounts: (idle: Int, busy: Int) { (state.idleCount, state.openCount - state.idleCount) }

    package func shutDown() {
        for connection in state.shutDown() { connection.close() }
    }

    deinit {
        if let tlsSession { SSL_SESSION_free(tlsSession) }
        readBuffer.deallocate()
    }

    package func handshakeFinished(_ session: TLSSession) {
        statistics.recordTLSHandshake()
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
        switch state.released(connection, loop: loopView) {
        case .close: connection.close()
        case .serve(let call): connection.start(call)
        case .park: connection.parkIdle()
        }
    }

    package func connectionClosed(_ connection: UpstreamConnection) {
        state.closed(connection)
        // A call whose connection cannot even be started fails at once and the next gets the slot.
        while let call = state.nextToOpen() { open(for: call) }
    }

    /// A connection failed while carrying `call`: retried once on a fresh connection when the
    /// failure allows it, otherwise finished with the error.
    package func connectionFailed(_ call: UpstreamCall, error: UpstreamError, retryable: Bool) {
        switch state.failed(call, attempts: call.attempts, retryable: retryable, deadline: call.deadline, now: loop.now) {
        case .retryOnNewConnection:
            statistics.recordRetry()
            open(for: call)
        case .retryFirstInLine:
            statistics.recordRetry()
        case .fail:
            call.finish(.failure(error))
        }
    }
}
