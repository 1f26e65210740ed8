import RestgateHTTP
import RestgateRuntime

/// The lifecycle of one client connection as a value with no I/O: awaiting a head, reading
/// a body, handling, lingering, closed, and what the connection owes on the way (close after
/// the answer, a pipelined request waiting for the client to read). `HTTPConnection` feeds it
/// what happened and does what it decides; the decisions are tested without a socket.
struct HTTPConnectionState {
    enum Phase {
        /// Between requests, or reading a request's head.
        case awaitingHead
        case readingBody(PendingBody)
        /// The responder has the request; pipelined bytes wait in the buffer.
        case handling(InFlight)
        /// The write side is shut; reading until the client closes, briefly.
        case lingering
        case closed
    }

    struct PendingBody {
        var request: InFlight
        var head: RequestHead
        var body: [UInt8]
        var remaining: Int
        var decoder: ChunkedDecoder?
        var deadline: Instant
        /// Bytes of the loop's body budget it waits for before reading on; 0 when not waiting.
        var awaitingBudget = 0
    }

    /// What the response to a request needs to know about it.
    package struct InFlight {
        package var method: HTTPMethod
        package var path: String
        package var version: HTTPVersion
        package var keepAlive: Bool
        package var requestID: String
        package var startedAt: Instant
        /// The client behind trusted proxies, for the log; nil means the peer itself.
        package var clientAddress: String?
        package var ignoredForwarding: [String] = []
        package var ignoredForwardingTotal = 0
    }

    private(set) var phase = Phase.awaitingHead
    /// The connection closes once its queued answers are written.
    var closeAfterWrite = false
    /// A pipelined request waits for the client to take the earlier answers (the sweep looks
    /// again); reading pauses meanwhile.
    var waitsForReader = false
    /// The last answer was queued while the next request was already arriving (pipelining):
    /// before that one is read, the kernel is asked how much of the answers is still unread.
    var answeredWhilePipelining = false
    /// The client will send nothing more (it may still read).
    private(set) var peerClosed = false

    /// Reading pauses while a request is handled and this much is already buffered.
    static let inboundHighWater = 65536
    /// Pipelined requests wait while this much of earlier answers is still unsent.
    static let outboundHighWater = 262_144

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    var isHandling: Bool {
        if case .handling = phase { return true }
        return false
    }

    var isLingering: Bool {
        if case .lingering = phase { return true }
        return false
    }

    mutating func enter(_ next: Phase) {
        guard !isClosed else { return }
        phase = next
    }

    /// What to do when the client has closed its side.
    enum PeerClosed: Equatable {
        case close
        /// Answers still go out; the connection closes after them.
        case closeAfterWrite
        /// A request is being handled or waits for the client to read: decided later.
        case wait
    }

    /// The client's read returned end of file.
    mutating func clientClosed() {
        peerClosed = true
    }

    /// Requests already buffered are answered in order, and the connection closes once none
    /// can complete.
    mutating func peerClosedDecision(outboundIsEmpty: Bool) -> PeerClosed {
        guard peerClosed else { return .wait }
        switch phase {
        case .lingering, .closed: return .close
        case .handling: return .wait  // the answer comes back here once it is queued
        case .awaitingHead where waitsForReader: return .wait  // the sweep reads the waiting request
        case .awaitingHead, .readingBody:
            if outboundIsEmpty { return .close }
            closeAfterWrite = true
            return .closeAfterWrite
        }
    }

    /// An answer is queued. Returns whether the connection stays open after it.
    mutating func answered(requestKeepsAlive: Bool, draining: Bool, pipelinedBytes: Int) -> Bool {
        answeredWhilePipelining = pipelinedBytes > 0
        let keepAlive = requestKeepsAlive && !closeAfterWrite && !draining
        if !keepAlive { closeAfterWrite = true }
        enter(.awaitingHead)
        return keepAlive
    }

    /// Everything queued is written: whether to begin the lingering close now.
    func shouldLinger(outboundIsEmpty: Bool) -> Bool {
        outboundIsEmpty && closeAfterWrite && !isHandling && !isLingering && !isClosed
    }

    /// A drain began. `bufferedBytes` is what was read and not yet consumed.
    enum Drain: Equatable {
        /// Busy: the answer in progress carries `Connection: close`.
        case none
        /// Idle as far as it knows: read what the kernel holds, then decide again with
        /// `drainAfterReading`.
        case readFirst
    }

    func drain(bufferedBytes: Int) -> Drain {
        guard case .awaitingHead = phase, bufferedBytes == 0 else { return .none }
        return .readFirst
    }

    /// After reading at a drain: a request that was in the kernel's buffer was sent before
    /// the drain and is served; otherwise the connection closes (after its queued answers).
    mutating func drainAfterReading(bufferedBytes: Int, outboundIsEmpty: Bool) -> PeerClosed {
        guard case .awaitingHead = phase, bufferedBytes == 0 else { return .wait }
        if outboundIsEmpty { return .close }
        closeAfterWrite = true
        return .closeAfterWrite
    }

    /// The events to watch: reading stops while too much waits in either direction, or while a
    /// body waits for budget; writing is watched while answers are queued.
    func interest(bufferedBytes: Int, outboundBytes: Int) -> IOInterest {
        let paused: Bool
        switch phase {
        case .handling: paused = bufferedBytes >= Self.inboundHighWater
        // A client that does not read its answers is not read from either.
        case .awaitingHead: paused = outboundBytes >= Self.outboundHighWater || waitsForReader
        case .readingBody(let pending): paused = pending.awaitingBudget > 0
        case .lingering, .closed: paused = false
        }
        // Bits, not an option-set literal: that went through the generic `SetAlgebra` init on
        // every event.
        let reading = !peerClosed && !paused
        switch (reading, outboundBytes > 0) {
        case (true, true): return .readWrite
        case (true, false): return .read
        case (false, true): return .write
        case (false, false): return .none
        }
    }

    /// How much may sit unconsumed in the inbound buffer before reading stops for this event:
    /// what a body still needs (it is moved out right after), else one head's worth.
    func readAheadLimit(maxBodyBytes: Int) -> Int {
        if case .readingBody(let pending) = phase, pending.awaitingBudget == 0 {
            return max(Self.inboundHighWater, pending.decoder == nil ? pending.remaining : maxBodyBytes)
        }
        return Self.inboundHighWater
    }

    /// Returns false when it was closed already.
    mutating func close() -> Bool {
        guard !isClosed else { return false }
        phase = .closed
        return true
    }
}
