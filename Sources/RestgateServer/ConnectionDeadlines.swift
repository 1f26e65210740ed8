import RestgateRuntime

/// Every deadline of one client connection, as a value with no I/O: the connection reports
/// what happened (`headStarted`, `read`, `wrote`, …) and asks `check` what is due, passing the
/// time and the kernel's count of unacknowledged bytes; `check` says what to do. The clock is
/// the caller's, so every timeout is tested by handing it instants, without sleeping.
struct ConnectionDeadlines {
    struct Limits {
        var header: Duration
        var body: Duration
        var idle: Duration
        var send: Duration
        var linger: Duration = .seconds(2)

        init(header: Duration, body: Duration, idle: Duration, send: Duration, linger: Duration = .seconds(2)) {
            self.header = header
            self.body = body
            self.idle = idle
            self.send = send
            self.linger = linger
        }

        init(_ configuration: HTTPServerConfiguration) {
            self.init(
                header: configuration.headerTimeout, body: configuration.bodyTimeout, idle: configuration.idleTimeout,
                send: configuration.sendTimeout)
        }
    }

    /// Where the connection stands, as far as deadlines care.
    enum Stage: Equatable {
        /// Between requests or reading a head; `writing` while an earlier answer is still
        /// going out or a pipelined request waits for the client to read.
        case awaitingHead(writing: Bool, waitsForReader: Bool)
        /// Reading a body that must be whole by `deadline`.
        case readingBody(deadline: Instant)
        case handling(writing: Bool)
        case lingering
    }

    enum Action: Equatable {
        case none
        /// 408: the head did not arrive in time.
        case failHeaderTimeout
        /// 408: the body did not arrive whole in time.
        case failBodyTimeout
        /// 408: the body stopped arriving.
        case failBodyStalled
        /// The pipelined request that waited for the client to read its answers is read now.
        case resumePipelined
        /// Idle too long, the answer stalled past the send timeout, or the linger is over.
        case close
    }

    let limits: Limits
    /// Set for a request's head; nil while the connection sits idle between requests.
    private(set) var headerDeadline: Instant?
    private(set) var idleSince: Instant?
    /// The last read or write, for a stalled body.
    private(set) var lastProgress: Instant
    /// When the answer being written last moved (or began waiting), for the send timeout.
    private(set) var lastWriteProgress: Instant
    private(set) var lingerDeadline: Instant?
    private var lastKernelBacklog: Int32 = -1

    init(limits: Limits, openedAt now: Instant) {
        self.limits = limits
        lastProgress = now
        lastWriteProgress = now
        headerDeadline = now + limits.header
    }

    /// Bytes of a head (or the next request) are waiting to be parsed.
    mutating func headStarted(at now: Instant) {
        guard headerDeadline == nil else { return }
        headerDeadline = now + limits.header
        idleSince = nil
    }

    mutating func headComplete() {
        headerDeadline = nil
    }

    mutating func read(at now: Instant) {
        lastProgress = now
    }

    mutating func wrote(at now: Instant) {
        lastProgress = now
        lastWriteProgress = now
    }

    /// An answer was queued with nothing queued before it: its send timeout starts now.
    mutating func answerQueued(at now: Instant) {
        lastWriteProgress = now
    }

    /// A pipelined request began waiting for the client to read: it counts as writing.
    mutating func waitingForReader(at now: Instant) {
        lastKernelBacklog = -1
        lastWriteProgress = now
    }

    /// Everything answered and nothing buffered: idleness starts.
    mutating func becameIdle(at now: Instant) {
        idleSince = now
    }

    mutating func beganLingering(at now: Instant) {
        lingerDeadline = now + limits.linger
    }

    /// What is due at `now`. `backlog` reads the kernel's unacknowledged bytes; it is called
    /// only when the answer depends on it.
    mutating func check(_ stage: Stage, now: Instant, pipelinedUnreadLimit: Int32, backlog: () -> Int32) -> Action {
        switch stage {
        case .awaitingHead(let writing, let waitsForReader):
            // An answer still being written is judged by write progress alone: a large body
            // to a slow reader may take longer than the idle timeout, and that is fine.
            if writing || waitsForReader {
                let current = backlog()
                if hasStalledWriting(now: now, backlog: current) { return .close }
                if waitsForReader, !writing, current <= pipelinedUnreadLimit { return .resumePipelined }
                return .none
            }
            if let headerDeadline, now >= headerDeadline {
                idleSince = nil
                return .failHeaderTimeout
            }
            if let idleSince, now >= idleSince + limits.idle {
                // The last answer may still sit in the kernel's send queue for a slow reader;
                // closing now would cut it short, so idleness starts once it is delivered.
                let current = backlog()
                if current > 0, current != lastKernelBacklog {
                    lastKernelBacklog = current
                    self.idleSince = now
                    return .none
                }
                return .close
            }
            return .none
        case .readingBody(let deadline):
            if now >= deadline { return .failBodyTimeout }
            if now >= lastProgress + limits.idle { return .failBodyStalled }
            return .none
        case .handling(let writing):
            return writing && hasStalledWriting(now: now, backlog: backlog()) ? .close : .none
        case .lingering:
            if let lingerDeadline, now >= lingerDeadline { return .close }
            return .none
        }
    }

    /// Whether the peer has taken nothing of its answer for the send timeout. Our last
    /// `sendmsg` is not the only measure: with a multi-megabyte send buffer, EPOLLOUT comes
    /// only once much of it has drained, so progress is also read from the kernel's queue of
    /// unacknowledged bytes. Reads are no progress: a client that sends and never reads
    /// must not keep its answers in memory.
    private mutating func hasStalledWriting(now: Instant, backlog: Int32) -> Bool {
        if backlog != lastKernelBacklog {
            lastKernelBacklog = backlog
            lastWriteProgress = now
        }
        return now >= lastWriteProgress + limits.send
    }
}
