/// The lifecycle of one upstream connection as a value with no I/O: connecting, the TLS
/// handshake, writing a request, reading its answer, pooled, closed. `UpstreamConnection`
/// feeds it what happened on the socket and does what it answers; the rules that used to hide
/// in flags (whether a failure is worth the one retry, whether a connection may go back to
/// the pool) live here and are tested without a socket.
package struct UpstreamConnectionState: Equatable {
    package enum Phase: Equatable {
        /// The non-blocking TCP connect has not finished.
        case connecting
        /// Connected; the TLS handshake is under way.
        case handshaking
        /// Connected, with no call: between calls, or pooled.
        case idle
        /// Sending a call's request.
        case writing
        /// The whole request is out; reading the answer.
        case reading
        case closed
    }

    /// What to do once the transport is up (`connected`, `handshakeFinished`).
    package enum Ready: Equatable {
        case startHandshake
        case writeRequest
        case listen
    }

    /// Where a call that starts on this connection goes first.
    package enum Start: Equatable {
        case writeRequest
        /// The connect (or handshake) is still going: the call waits for it, under the
        /// connect timeout.
        case awaitTransport
    }

    package private(set) var phase = Phase.connecting
    package private(set) var hasCall = false
    /// Whether it has carried a request before: a reused connection may have been closed by
    /// the upstream in the meantime, the one failure worth a transparent retry.
    package private(set) var isReused = false
    /// The upstream closed its side (or the socket failed) in an event already seen: an answer
    /// read in that event completes, but the connection is not pooled.
    package private(set) var peerClosed = false
    /// TLS asked to write before it can read on (a key update): writable events resume reading.
    package var readWaitsForWrite = false

    package init() {}

    package var isClosed: Bool { phase == .closed }

    package mutating func start() -> Start {
        hasCall = true
        switch phase {
        case .idle, .writing, .reading:
            phase = .writing
            return .writeRequest
        case .connecting, .handshaking, .closed:
            return .awaitTransport
        }
    }

    /// The TCP connect finished.
    package mutating func connected(usesTLS: Bool) -> Ready {
        guard phase == .connecting else { return .listen }
        if usesTLS {
            phase = .handshaking
            return .startHandshake
        }
        return ready()
    }

    package mutating func handshakeFinished() -> Ready {
        guard phase == .handshaking else { return .listen }
        return ready()
    }

    private mutating func ready() -> Ready {
        phase = hasCall ? .writing : .idle
        return hasCall ? .writeRequest : .listen
    }

    /// The last byte of the request went out.
    package mutating func requestWritten() {
        if phase == .writing { phase = .reading }
    }

    package mutating func sawPeerClose() {
        peerClosed = true
    }

    /// A whole answer arrived. Returns whether the connection may carry another call: its
    /// framing allows it (`persistent`), the upstream has not closed, and the whole request
    /// was written (an answer that came before the rest of a body leaves bytes unsent that the
    /// next call's would follow).
    package mutating func answered(persistent: Bool, wroteWholeRequest: Bool) -> Bool {
        hasCall = false
        isReused = true
        let reusable = persistent && !peerClosed && wroteWholeRequest
        if reusable { phase = .idle }
        return reusable
    }

    /// Whether a call whose request failed to go out may be sent again elsewhere: only when
    /// nothing of it was written, mutation or not.
    package func mayRetryWriteFailure(bytesWritten: Int) -> Bool {
        bytesWritten == 0
    }

    /// Whether a call whose connection closed before a whole answer may be sent again: the
    /// keep-alive race, on a reused connection that received nothing, for an idempotent call
    /// (a request that may have reached the upstream is repeated only then).
    package func mayRetryEarlyClose(receivedAnything: Bool, isIdempotent: Bool) -> Bool {
        !receivedAnything && isReused && isIdempotent
    }

    /// Returns false when it was closed already.
    package mutating func close() -> Bool {
        guard phase != .closed else { return false }
        phase = .closed
        hasCall = false
        return true
    }
}
