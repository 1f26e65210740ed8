import CLinux
package import RestgateGzip
package import RestgateHTTP
import RestgateJSON
package import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What the server keeps on each event loop: its listener, its connections, and the per-loop
/// scratch buffers and zlib streams that connections borrow, so nothing here needs a lock.
///
/// `@unchecked Sendable`: request tasks capture the context to hand their response back, and
/// `deliver` hops onto the loop before touching anything; every other method runs on the loop.
package final class ServerLoopContext: @unchecked Sendable {
    package let loop: EventLoop
    package let configuration: HTTPServerConfiguration
    package let responder: any HTTPResponder
    package let lifecycle: ServerLifecycle
    package let statistics: ServerStatistics
    package let accessLog: (@Sendable (AccessLogEntry) -> Void)?
    /// Where requests with large bodies are handled (shared by the server's loops).
    package let largeBodyLoop: EventLoop
    package let decompressor = GzipDecompressor()
    package let dateCache = DateCache()
    package var requestIDs = RequestIDGenerator()
    /// Where every `recv` lands; bytes are copied out only when a request is incomplete.
    package let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    private var listener: Listener?
    private var connections: [Int32: HTTPConnection] = [:]
    private var nextSerial: UInt64 = 0
    private var sweepTimer: ScheduledTimer?
    private var onDrained: (@Sendable () -> Void)?
    /// This loop's share of `maxBufferedRequestBytes`, and what its large bodies hold of it.
    package let bodyBudget: Int
    private(set) var reservedBodyBytes = 0
    /// Connections waiting for room in the body budget, in arrival order.
    private var bodyBudgetWaiters: [BodyBudgetWaiter] = []
    /// The tasks that run this loop's requests (but those with large bodies).
    private(set) lazy var workers = RequestWorkers(context: self)

    private struct BodyBudgetWaiter {
        let connection: HTTPConnection
        /// A connection object is never reused, but a closed one must not be woken.
        var isWaiting: Bool { !connection.isClosed && connection.awaitedBudget > 0 }
    }

    package init(
        loop: EventLoop, configuration: HTTPServerConfiguration, responder: any HTTPResponder,
        lifecycle: ServerLifecycle, statistics: ServerStatistics, accessLog: (@Sendable (AccessLogEntry) -> Void)?,
        largeBodyLoop: EventLoop
    ) {
        self.largeBodyLoop = largeBodyLoop
        self.loop = loop
        self.configuration = configuration
        self.responder = responder
        self.lifecycle = lifecycle
        self.statistics = statistics
        self.accessLog = accessLog
        // At least one body of the largest size fits, or large bodies could never be read.
        self.bodyBudget = max(configuration.maxBufferedRequestBytes / max(1, configuration.threads), configuration.maxBodyBytes)
    }

    deinit {
        readBuffer.deallocate()
    }

    package var isDraining: Bool { lifecycle.isDraining }
    package var connectionCount: Int { connections.count }

    package func start(listeningOn descriptor: Int32) throws(SystemError) {
        loop.assertInLoop()
        let listener = Listener(descriptor: descriptor, context: self)
        try loop.register(descriptor, handler: listener, interest: .read)
        self.listener = listener
        scheduleSweep()
    }

    /// Timeouts are checked by a sweep a few times a second rather than a timer per
    /// connection: with 10,000 idle connections that is 10,000 comparisons, not 10,000 timers.
    private func scheduleSweep() {
        sweepTimer = loop.schedule(after: .milliseconds(250)) { [self] in
            let now = loop.clock.now
            for connection in Array(connections.values) { connection.checkTimeouts(now: now) }
            scheduleSweep()
        }
    }

    package func adopt(descriptor: Int32, remoteAddress: String) {
        nextSerial &+= 1
        let connection = HTTPConnection(descriptor: descriptor, serial: nextSerial, remoteAddress: remoteAddress, context: self)
        do {
            try loop.register(descriptor, handler: connection, interest: .read)
        } catch {
            close(descriptor)
            statistics.open.subtract(1, ordering: .relaxed)
            return
        }
        connections[descriptor] = connection
    }

    /// Room for a large body, unless it would jump the queue of those already waiting.
    package func reserveBody(_ bytes: Int) -> Bool {
        while let first = bodyBudgetWaiters.first, !first.isWaiting { bodyBudgetWaiters.removeFirst() }
        guard bodyBudgetWaiters.isEmpty, reservedBodyBytes + bytes <= bodyBudget else { return false }
        reservedBodyBytes += bytes
        statistics.bufferedRequestBytes.add(bytes, ordering: .relaxed)
        return true
    }

    package func waitForBodyBudget(_ connection: HTTPConnection) {
        statistics.bodyWaits.add(1, ordering: .relaxed)
        bodyBudgetWaiters.append(BodyBudgetWaiter(connection: connection))
    }

    /// Gives the freed room to the waiting connections, first come first served.
    package func releaseBody(_ bytes: Int) {
        reservedBodyBytes -= bytes
        statistics.bufferedRequestBytes.subtract(bytes, ordering: .relaxed)
        while let first = bodyBudgetWaiters.first {
            guard first.isWaiting else {
                bodyBudgetWaiters.removeFirst()
                continue
            }
            let needed = first.connection.awaitedBudget
            guard reservedBodyBytes + needed <= bodyBudget else { return }
            bodyBudgetWaiters.removeFirst()
            reservedBodyBytes += needed
            statistics.bufferedRequestBytes.add(needed, ordering: .relaxed)
            first.connection.budgetGranted()
        }
    }

    /// This loop's connections by state.
    func census() -> ConnectionCensus {
        var census = ConnectionCensus()
        for connection in connections.values {
            switch connection.state.phase {
            case .awaitingHead:
                if connection.bufferedCount > 0 || !connection.outbound.isEmpty {
                    if connection.outbound.isEmpty { census.reading += 1 } else { census.active += 1 }
                } else {
                    census.idle += 1
                }
            case .readingBody: census.reading += 1
            case .handling: census.active += 1
            case .lingering: census.closing += 1
            case .closed: break
            }
        }
        return census
    }

    package func forget(_ connection: HTTPConnection) {
        if connections[connection.descriptor] === connection {
            connections[connection.descriptor] = nil
        }
        statistics.open.subtract(1, ordering: .relaxed)
        if isDraining, connections.isEmpty, let onDrained {
            self.onDrained = nil
            onDrained()
        }
    }

    /// Hands a finished response back to its connection, on the loop, if it is still open.
    package func deliver(_ response: HTTPResponse, descriptor: Int32, serial: UInt64) {
        guard loop.inLoop else {
            loop.execute { [self] in deliver(response, descriptor: descriptor, serial: serial) }
            return
        }
        guard let connection = connections[descriptor], connection.serial == serial else { return }
        connection.finishRequest(with: response)
    }

    /// Stops accepting and closes idle connections; `onDrained` runs once none is left.
    package func beginDrain(onDrained: @escaping @Sendable () -> Void) {
        loop.assertInLoop()
        listener?.close()
        listener = nil
        self.onDrained = onDrained
        for connection in Array(connections.values) { connection.drain() }
        // `forget` may already have reported (and cleared) it while idle ones were closed.
        if connections.isEmpty, let pending = self.onDrained {
            self.onDrained = nil
            pending()
        }
    }

    package func closeAll() {
        loop.assertInLoop()
        listener?.close()
        listener = nil
        onDrained = nil
        sweepTimer?.cancel()
        for connection in Array(connections.values) { connection.close() }
        workers.stop()
    }

    /// A ready-made 503 for connections over the limit, written without a connection object.
    package func refuse(descriptor: Int32) {
        statistics.refused.add(1, ordering: .relaxed)
        let problem = Problem(
            .unavailable, detail: "The gateway is at its connection limit; retry shortly.",
            headers: [("Retry-After", String(configuration.retryAfterSeconds))])
        let requestID = requestIDs.make()
        let response = problem.response(requestID: requestID, instance: nil)
        var bytes = ResponseEncoder.head(
            for: response, bodyLength: response.body.count, date: dateCache.current(), keepAlive: false, version: .http1_1,
            extraHeaders: [("X-Request-ID", requestID)])
        bytes.append(contentsOf: response.body)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
        shutdown(descriptor, Int32(SHUT_WR))
        // Unread bytes at close() make the kernel send RST, which can destroy the 503.
        _ = recv(descriptor, readBuffer.baseAddress, readBuffer.count, Int32(MSG_DONTWAIT))
        close(descriptor)
    }
}
