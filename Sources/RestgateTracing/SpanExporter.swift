import Dispatch
import RestgateGzip
import RestgateHTTP
import RestgateRuntime
import RestgateUpstream
import Synchronization

/// Sends spans to an OTLP/HTTP collector from a loop of its own, never from a request: spans
/// wait in a bounded queue and leave in batches (`batchSize`, or every `interval`), gzipped,
/// through Restgate's upstream client. A full queue or a failed export drops spans and counts
/// them; nothing here slows or fails a request.
public final class SpanExporter: Sendable {
    public let configuration: TracingConfiguration
    private let client: UpstreamClient
    private let loop: EventLoop
    private let queue = Mutex<[SpanRecord]>([])
    private let dropped = Atomic<Int>(0)
    /// Loop-confined: whether a batch is in flight, and the interval timer.
    private let state: LoopState

    private final class LoopState: @unchecked Sendable {
        var sending = false
        var stopped = false
        var flushWaiters: [@Sendable () -> Void] = []
        /// Level 1: spans compress well at any level, and the export thread's time is ours.
        let compressor = GzipCompressor(level: 1)
    }

    public init(configuration: TracingConfiguration) throws {
        self.configuration = configuration
        var upstream = UpstreamConfiguration()
        upstream.requestTimeout = configuration.exportTimeout
        upstream.maxConnectionsPerLoop = 2
        client = try UpstreamClient(name: "otlp", url: configuration.endpoint, configuration: upstream)
        loop = try EventLoop.startDedicated(name: "restgate-otlp")
        state = LoopState()
        loop.execute { [self] in scheduleTick() }
    }

    /// Spans dropped so far (queue full, collector down or refusing).
    public var droppedSpans: Int { dropped.load(ordering: .relaxed) }

    /// Queues a span; from any thread, without blocking.
    public func submit(_ span: SpanRecord) {
        let waiting = queue.withLock { queue -> Int in
            guard queue.count < configuration.queueLimit else { return -1 }
            queue.append(span)
            return queue.count
        }
        if waiting < 0 {
            dropped.add(1, ordering: .relaxed)
        } else if waiting == configuration.batchSize {
            loop.execute { [self] in sendNext() }
        }
    }

    /// Sends what is queued, waiting at most `timeout`; then stops the export loop. For the
    /// drain: spans of the last requests are not lost on a rolling restart.
    public func shutdown(timeout: Duration) {
        let done = DispatchSemaphore(value: 0)
        loop.execute { [self] in
            state.stopped = true
            state.flushWaiters.append { done.signal() }
            sendNext()
        }
        let milliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        _ = done.wait(timeout: .now() + .milliseconds(milliseconds))
        loop.stop()
    }

    private func scheduleTick() {
        _ = loop.schedule(after: configuration.interval) { [self] in
            guard !state.stopped else { return }
            sendNext()
            scheduleTick()
        }
    }

    /// Sends one batch if none is in flight; on the export loop.
    private func sendNext() {
        guard !state.sending else { return }
        let batch = queue.withLock { queue -> [SpanRecord] in
            // Usually the whole queue: taken by a swap, not copied span by span.
            guard queue.count > configuration.batchSize else {
                defer { queue = [] }
                return queue
            }
            let batch = Array(queue.prefix(configuration.batchSize))
            queue.removeFirst(batch.count)
            return batch
        }
        guard !batch.isEmpty else {
            let waiters = state.flushWaiters
            state.flushWaiters = []
            for waiter in waiters { waiter() }
            return
        }
        state.sending = true
        let body = state.compressor.compress(
            configuration.encoding.encode(batch, resource: configuration.resource, scopeVersion: configuration.version))
        let request = UpstreamRequest(
            path: configuration.endpoint.path,
            headers: [("Content-Type", configuration.encoding.contentType), ("Content-Encoding", "gzip")] + configuration.headers,
            body: body, isIdempotent: true)
        Task(executorPreference: loop) { [self] in
            let result = await client.send(request, on: loop)
            let accepted = if case .success(let response) = result { (200...299).contains(response.status) } else { false }
            if !accepted { dropped.add(batch.count, ordering: .relaxed) }
            state.sending = false
            let more = queue.withLock { $0.count }
            if more >= configuration.batchSize || (state.stopped && more > 0) || !state.flushWaiters.isEmpty { sendNext() }
        }
    }
}
