import CLinux
import RestgateGzip
import RestgateHTTP
import RestgateJSON
package import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ending: lingering close, draining, timeouts, and which events the loop watches for.
extension HTTPConnection {
    /// Shuts the write side and reads until the client closes (or briefly), so unread
    /// request bytes do not make the kernel reset the connection and destroy our answer.
    func beginLingeringClose() {
        if case .lingering = state.phase { return }
        state.enter(.lingering)
        inbound = []
        inboundStart = 0
        if state.peerClosed {
            close()
            return
        }
        shutdown(descriptor, Int32(SHUT_WR))
        deadlines.beganLingering(at: context.loop.now)
    }

    /// Closes the connection if it is idle; otherwise the request in progress finishes and its
    /// answer carries `Connection: close` (`respond` checks the server's drain state).
    ///
    /// A connection looks idle too when its request is already in the kernel's buffer but not
    /// yet read; that request was sent before the drain, so it is read and served first.
    package func drain() {
        guard state.drain(bufferedBytes: bufferedCount) == .readFirst else { return }
        readAvailable()
        guard !isClosed else { return }
        if state.drainAfterReading(bufferedBytes: bufferedCount, outboundIsEmpty: outbound.isEmpty) == .close { close() }
    }

    package func checkTimeouts(now: Instant) {
        let stage: ConnectionDeadlines.Stage
        switch state.phase {
        case .awaitingHead: stage = .awaitingHead(writing: !outbound.isEmpty, waitsForReader: state.waitsForReader)
        case .readingBody(let pending): stage = .readingBody(deadline: pending.deadline)
        case .handling: stage = .handling(writing: !outbound.isEmpty)
        case .lingering: stage = .lingering
        case .closed: return
        }
        let descriptor = self.descriptor
        let action = deadlines.check(stage, now: now, pipelinedUnreadLimit: Self.pipelinedUnreadLimit) {
            restgate_unsent_bytes(descriptor)
        }
        switch action {
        case .none:
            return
        case .close:
            close()
        case .resumePipelined:
            // The client has taken its answers: its pipelined request is read now.
            state.waitsForReader = false
            processInbound()
            if state.peerClosed, !isClosed { handlePeerClosed() }
            updateInterest()
        case .failHeaderTimeout:
            failWithProblem(
                Problem(.requestTimeout, detail: "The request's header section did not arrive within \(configuration.headerTimeout)."),
                request: nil)
        case .failBodyTimeout, .failBodyStalled:
            guard case .readingBody(let pending) = state.phase else { return }
            let detail =
                action == .failBodyTimeout
                ? "The request body did not arrive whole within \(configuration.bodyTimeout)."
                : "The request body stalled for \(configuration.idleTimeout)."
            failWithProblem(Problem(.requestTimeout, detail: detail), request: pending.request)
        }
    }

    func updateInterest() {
        guard !isClosed else { return }
        let wanted = state.interest(bufferedBytes: bufferedCount, outboundBytes: outbound.count)
        if wanted != interest {
            interest = wanted
            context.loop.setInterest(descriptor, wanted)
        }
    }

    package func close() {
        guard state.close() else { return }
        context.loop.deregister(descriptor)
        Glibc.close(descriptor)
        context.statistics.bufferedResponseBytes.subtract(outbound.removeAll(), ordering: .relaxed)
        releaseBody()
        inbound = []
        context.forget(self)
    }
}
