import CLinux
import Dispatch
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Restgate's HTTP/1.1 server: `threads` event loops, each with its own `SO_REUSEPORT`
/// listener and its own connections, answering with an `HTTPResponder`.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    public let lifecycle: ServerLifecycle
    public let statistics = ServerStatistics()
    private let responder: any HTTPResponder
    private let accessLog: (@Sendable (AccessLogEntry) -> Void)?
    private let state = Mutex(State())
    private let stopped = DispatchSemaphore(value: 0)

    private struct State {
        var loops: [EventLoop] = []
        var contexts: [ServerLoopContext] = []
        var largeBodyLoop: EventLoop?
        var threads: [pthread_t] = []
        var port: UInt16 = 0
        var shutdownStarted = false
    }

    public init(
        configuration: HTTPServerConfiguration, responder: any HTTPResponder, lifecycle: ServerLifecycle = ServerLifecycle(),
        accessLog: (@Sendable (AccessLogEntry) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.responder = responder
        self.lifecycle = lifecycle
        self.accessLog = accessLog
    }

    /// The port the server listens on (the kernel's choice when configured as 0).
    public var port: UInt16 { state.withLock { $0.port } }

    /// Binds every listener (so a taken port fails here, synchronously) and starts the loops.
    public func start() throws {
        // A client that vanishes mid-write must cost an EPIPE, not the process.
        signal(SIGPIPE, SIG_IGN)
        Socket.raiseOpenFileLimit(to: configuration.maxConnections + 1024)
        let threads = max(1, configuration.threads)
        var descriptors: [Int32] = []
        var port = configuration.port
        do {
            for _ in 0..<threads {
                let listener = try Socket.listen(host: configuration.host, port: port, backlog: configuration.backlog)
                descriptors.append(listener.descriptor)
                port = listener.port
            }
        } catch {
            descriptors.forEach { _ = close($0) }
            throw error
        }
        var loops: [EventLoop] = []
        var contexts: [ServerLoopContext] = []
        // Requests with large bodies are handled here, so that checking them never holds up a
        // connection loop (HTTPServerConfiguration.largeBodyBytes).
        let largeBodyLoop = try EventLoop(index: threads, clock: configuration.clock)
        for index in 0..<threads {
            let loop = try EventLoop(index: index, clock: configuration.clock)
            loops.append(loop)
            contexts.append(
                ServerLoopContext(
                    loop: loop, configuration: configuration, responder: responder, lifecycle: lifecycle, statistics: statistics,
                    accessLog: accessLog, largeBodyLoop: largeBodyLoop))
        }
        let started = DispatchSemaphore(value: 0)
        let failures = Mutex<[any Error]>([])
        var threadIDs: [pthread_t] = []
        for (index, context) in contexts.enumerated() {
            let descriptor = descriptors[index]
            context.loop.execute {
                do {
                    try context.start(listeningOn: descriptor)
                } catch {
                    failures.withLock { $0.append(error) }
                }
                started.signal()
            }
            threadIDs.append(EventLoop.spawnThread(name: "restgate-loop-\(index)") { context.loop.run() })
        }
        for _ in contexts { started.wait() }
        threadIDs.append(
            EventLoop.spawnThread(name: "restgate-large") {
                // Under a flood of large bodies the connection loops come first: at nice 10 this
                // thread gets about a tenth of a core they want (bench/RESULTS.md).
                _ = restgate_lower_thread_priority(10)
                largeBodyLoop.run()
            })
        state.withLock {
            $0.loops = loops
            $0.contexts = contexts
            $0.largeBodyLoop = largeBodyLoop
            $0.threads = threadIDs
            $0.port = port
        }
        if let failure = failures.withLock({ $0.first }) {
            shutdown(gracefully: false)
            throw failure
        }
        lifecycle.transition(to: .running)
    }

    /// Drains (stop accepting, finish requests in flight, close idle connections) for up to
    /// `drainTimeout`, then closes what is left and stops the loops. Returns once the
    /// listeners are closed; `waitUntilStopped` blocks until the threads are gone.
    public func shutdown(gracefully: Bool = true) {
        let (contexts, largeBodyLoop, alreadyStarted) = state.withLock { state -> ([ServerLoopContext], EventLoop?, Bool) in
            defer { state.shutdownStarted = true }
            return (state.contexts, state.largeBodyLoop, state.shutdownStarted)
        }
        guard !alreadyStarted else { return }
        lifecycle.transition(to: .draining)
        let remaining = Atomic<Int>(contexts.count)
        let finish: @Sendable () -> Void = { [self] in
            for context in contexts {
                context.loop.execute {
                    context.closeAll()
                    context.loop.stop()
                }
            }
            largeBodyLoop?.stop()
            joinThreads()
        }
        guard gracefully, !contexts.isEmpty else {
            finish()
            return
        }
        let finished = Atomic<Bool>(false)
        let finishOnce: @Sendable () -> Void = {
            if finished.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged { finish() }
        }
        let listenersClosed = DispatchSemaphore(value: 0)
        for context in contexts {
            context.loop.execute {
                context.beginDrain {
                    if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { finishOnce() }
                }
                listenersClosed.signal()
            }
        }
        // Once shutdown returns, no new connection is accepted. (From a loop thread it cannot
        // wait for its own loop; the listeners then close at that loop's next iteration.)
        if !contexts.contains(where: { $0.loop.inLoop }) {
            for _ in contexts { listenersClosed.wait() }
        }
        // The drain deadline is a timer of the first loop, on the server's clock, from now.
        let deadline = configuration.clock.now + configuration.drainTimeout
        contexts[0].loop.execute { _ = contexts[0].loop.schedule(at: deadline) { finishOnce() } }
    }

    private func joinThreads() {
        let threads = state.withLock { $0.threads }
        DispatchQueue.global().async { [self] in
            for thread in threads { pthread_join(thread, nil) }
            lifecycle.transition(to: .stopped)
            stopped.signal()
        }
    }

    /// The open connections by state, each loop counting its own.
    public func connectionCensus() async -> ConnectionCensus {
        var total = ConnectionCensus()
        for context in state.withLock({ $0.contexts }) {
            total =
                total
                + (await withCheckedContinuation { continuation in context.loop.execute { continuation.resume(returning: context.census()) }
                })
        }
        return total
    }

    /// Blocks until `shutdown` has stopped every loop thread.
    public func waitUntilStopped() {
        stopped.wait()
        stopped.signal()
    }
}
