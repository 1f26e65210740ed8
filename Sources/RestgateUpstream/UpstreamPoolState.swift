package import RestgateRuntime

/// The rules of an upstream pool as a value with no I/O: which idle connection a call reuses
/// (newest first, none older than the idle timeout, a probe unless the loop has certainly
/// seen a close), when a new one is opened (up to the limit), the order waiting calls are
/// served in (first come, first served; a retry goes first), and when a failed call is
/// retried (once, on a fresh connection, before its deadline). The pool feeds it events with
/// the loop's time and performs what it answers; tests feed it instants.
package struct UpstreamPoolState<Connection: AnyObject, Call: AnyObject> {
    package struct Limits {
        package var maxConnections: Int
        package var idleTimeout: Duration
        /// Idle for less than this and watched by a whole poll that was not full: reused
        /// without the `MSG_PEEK` probe (see `UpstreamPool.unprobedIdle`).
        package var unprobedIdle: Duration

        package init(maxConnections: Int, idleTimeout: Duration, unprobedIdle: Duration) {
            self.maxConnections = maxConnections
            self.idleTimeout = idleTimeout
            self.unprobedIdle = unprobedIdle
        }
    }

    /// What the loop knows about its polls, for the reuse rule.
    package struct LoopView {
        package var now: Instant
        /// Polls returned so far.
        package var polls: UInt64
        /// Whether the last poll returned as many events as it had room for.
        package var lastPollWasFull: Bool

        package init(now: Instant, polls: UInt64, lastPollWasFull: Bool) {
            self.now = now
            self.polls = polls
            self.lastPollWasFull = lastPollWasFull
        }
    }

    package enum Checkout {
        /// Run the call on this idle connection; `probe`: check first that it is still open,
        /// and report `probeFailed` if not.
        case reuse(Connection, probe: Bool)
        /// Open a connection for the call (report `opened` once it is registered).
        case open
        /// The call waits its turn.
        case queued
    }

    package enum Release {
        /// Run this waiting call on the connection.
        case serve(Call)
        case park
        case close
    }

    package enum Failure {
        /// Open a fresh connection for the call now.
        case retryOnNewConnection
        /// Retry when a connection frees up, ahead of every waiting call.
        case retryFirstInLine
        case fail
    }

    private struct Idle {
        let connection: Connection
        let since: Instant
        let poll: UInt64
    }

    package let limits: Limits
    private var idle: [Idle] = []
    private(set) var waiting: [Call] = []
    private(set) var openCount = 0
    private(set) var isShutDown = false

    package init(limits: Limits) {
        self.limits = limits
    }

    package var idleCount: Int { idle.count }
    package var waitingCount: Int { waiting.count }

    /// Takes the idle connections past the idle timeout out of the pool, to close.
    package mutating func removeExpired(now: Instant) -> [Connection] {
        // Oldest first: only the first entry needs a look when nothing expired (every call
        // comes here, and touching each idle connection cost a retain and release apiece).
        guard let oldest = idle.first, now.duration(since: oldest.since) >= limits.idleTimeout else { return [] }
        let count = idle.prefix { now.duration(since: $0.since) >= limits.idleTimeout }.count
        defer { idle.removeFirst(count) }
        return idle[..<count].map(\.connection)
    }

    /// Where `call` runs (after `removeExpired`).
    package mutating func checkout(_ call: Call, loop: LoopView) -> Checkout {
        // Calls already waiting go first: a new call never overtakes them.
        guard waiting.isEmpty else {
            waiting.append(call)
            return .queued
        }
        if let candidate = idle.popLast() {
            let idleFor = loop.now.duration(since: candidate.since)
            // Trusted without a probe: watched by at least one whole poll since it went idle,
            // that poll not full, and idle only briefly.
            let trusted = candidate.poll < loop.polls && !loop.lastPollWasFull && idleFor < limits.unprobedIdle
            return .reuse(candidate.connection, probe: !trusted)
        }
        guard openCount < limits.maxConnections else {
            waiting.append(call)
            return .queued
        }
        return .open
    }

    /// A connection opened (and registered) for a call.
    package mutating func opened() {
        openCount += 1
    }

    /// A connection finished its call and may be reused.
    package mutating func released(_ connection: Connection, loop: LoopView) -> Release {
        if isShutDown { return .close }
        if !waiting.isEmpty { return .serve(waiting.removeFirst()) }
        idle.append(Idle(connection: connection, since: loop.now, poll: loop.polls))
        return .park
    }

    /// A connection closed, for whatever reason.
    package mutating func closed(_ connection: Connection) {
        openCount -= 1
        idle.removeAll { $0.connection === connection }
    }

    /// A waiting call that may open a connection now, if there is room; the pool calls it
    /// until nil, so a call whose connection cannot even be started gives the slot to the next.
    package mutating func nextToOpen() -> Call? {
        guard !waiting.isEmpty, openCount < limits.maxConnections else { return nil }
        return waiting.removeFirst()
    }

    /// A call's deadline passed: it stops waiting.
    package mutating func expired(_ call: Call) {
        waiting.removeAll { $0 === call }
    }

    /// A connection failed while carrying `call` after `attempts` attempts.
    package mutating func failed(
        _ call: Call, attempts: Int, retryable: Bool, deadline: Instant, now: Instant
    ) -> Failure {
        guard retryable, attempts < 2, now < deadline else { return .fail }
        // The retry counts against the limit like any call, ahead of those waiting.
        if openCount < limits.maxConnections { return .retryOnNewConnection }
        waiting.insert(call, at: 0)
        return .retryFirstInLine
    }

    /// The client is gone: returns the idle connections, to close; busy ones close when
    /// their call ends (`released` answers `close`).
    package mutating func shutDown() -> [Connection] {
        isShutDown = true
        defer { idle = [] }
        return idle.map(\.connection)
    }
}
