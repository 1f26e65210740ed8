import CLinux
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Answering: the head and body queued in order, written with `sendmsg`, problems for
/// requests the server could not read.
extension HTTPConnection {
    func respond(_ response: HTTPResponse, to request: HTTPConnectionState.InFlight, fromResponder: Bool = false) {
        releaseBody()
        let keepAlive = state.answered(requestKeepsAlive: request.keepAlive, draining: context.isDraining, pipelinedBytes: bufferedCount)
        var extra: [(name: String, value: String)] = []
        if response.header("x-request-id") == nil { extra.append(("X-Request-ID", request.requestID)) }
        let isHead = request.method == .head
        let sendsBody = !isHead && !response.forbidsBody
        let head = ResponseEncoder.head(
            for: response, bodyLength: response.body.count, date: context.dateCache.current(),
            keepAlive: keepAlive, version: request.version, extraHeaders: extra)
        enqueue(head)
        if sendsBody, !response.body.isEmpty { enqueue(response.body) }
        context.statistics.requests.add(1, ordering: .relaxed)
        context.accessLog?(
            AccessLogEntry(
                method: request.method.rawValue, path: request.path, status: response.status,
                duration: Instant.now().duration(since: request.startedAt), bytes: sendsBody ? response.body.count : 0,
                requestID: request.requestID, remoteAddress: request.clientAddress ?? remoteAddress,
                traceID: response.notes.traceID, spanID: response.notes.spanID, route: response.notes.route,
                problemCode: response.notes.problemCode, fromResponder: fromResponder, ignoredForwarding: request.ignoredForwarding,
                ignoredForwardingTotal: request.ignoredForwardingTotal))
        flush()
        if !isClosed, !state.closeAfterWrite, bufferedCount == 0 { deadlines.becameIdle(at: context.loop.now) }
    }

    /// Answers a request the server could not read and closes: after a framing error, where
    /// the next request would start is unknowable.
    func fail(_ error: HTTPParseError, request: HTTPConnectionState.InFlight?) {
        let problem = Problem(ProblemCode.forParseError(error), detail: error.detail)
        failWithProblem(problem, request: request)
    }

    func failWithProblem(_ problem: Problem, request: HTTPConnectionState.InFlight?) {
        state.closeAfterWrite = true
        let request =
            request
            ?? HTTPConnectionState.InFlight(
                method: HTTPMethod(rawValue: "-"), path: "-", version: .http1_1, keepAlive: false,
                requestID: context.requestIDs.make(), startedAt: context.loop.now)
        let instance = request.path == "-" ? nil : request.path
        respond(problem.response(requestID: request.requestID, instance: instance), to: request)
    }

    func enqueue(_ bytes: [UInt8]) {
        if outbound.isEmpty { deadlines.answerQueued(at: context.loop.now) }
        context.statistics.bufferedResponseBytes.add(bytes.count, ordering: .relaxed)
        outbound.append(bytes)
    }

    func flush() {
        while !outbound.isEmpty {
            let written = writeVectored()
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                close()
                return
            }
            deadlines.wrote(at: context.loop.now)
            outbound.advance(by: written)
            context.statistics.bufferedResponseBytes.subtract(written, ordering: .relaxed)
        }
        if state.shouldLinger(outboundIsEmpty: outbound.isEmpty) { beginLingeringClose() }
        updateInterest()
    }

    /// After EPOLLOUT: pipelined requests that waited for earlier answers to drain go on. (Not
    /// done in `flush`, which `respond` calls from inside `processInbound`.)
    func resumeAfterWriting() {
        guard !isClosed, case .awaitingHead = state.phase, bufferedCount > 0, outbound.count < HTTPConnectionState.outboundHighWater else {
            return
        }
        processInbound()
        if state.peerClosed, !isClosed { handlePeerClosed() }
        updateInterest()
    }

    func writeVectored() -> Int {
        outbound.withVectors { vectors in
            var message = msghdr()
            message.msg_iov = vectors.baseAddress
            message.msg_iovlen = vectors.count
            return sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL))
        }
    }

    // MARK: Closing
}
