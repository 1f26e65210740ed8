import CLinux
import RestgateGzip
package import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Starting a request: framing, the large-body budget, reading the body, and handing the
/// whole request to the responder.
extension HTTPConnection {
    func beginRequest(_ head: RequestHead) {
        let offered = head.headers["x-request-id"]
        let requestID = offered.flatMap { RequestID.isAcceptable($0) ? $0 : nil } ?? context.requestIDs.make()
        let request = HTTPConnectionState.InFlight(
            method: head.method, path: head.path, version: head.version,
            keepAlive: head.wantsKeepAlive && !context.isDraining, requestID: requestID,
            startedAt: context.loop.now)
        let buffered = context.statistics.bufferedResponseBytes.load(ordering: .relaxed)
        guard buffered < configuration.maxBufferedResponseBytes else {
            context.statistics.overloaded.add(1, ordering: .relaxed)
            let problem = Problem(
                .unavailable, detail: "The gateway holds too many unread answers; retry shortly.",
                headers: [("Retry-After", String(configuration.retryAfterSeconds))])
            failWithProblem(problem, request: request)
            return
        }
        let framing: BodyFraming
        do {
            framing = try head.bodyFraming()
        } catch {
            fail(error, request: request)
            return
        }
        var expectsContinue = false
        if let expectation = head.headers["expect"] {
            guard expectation.lowercased() == "100-continue" else {
                let problem = Problem(
                    .expectationFailed, detail: "The expectation '\(expectation)' is not supported; only 100-continue is.")
                failWithProblem(problem, request: request)
                return
            }
            expectsContinue = head.version == .http1_1 && framing != .none
        }
        var pending = HTTPConnectionState.PendingBody(
            request: request, head: head, body: [], remaining: 0, decoder: nil, deadline: context.loop.now + configuration.bodyTimeout)
        switch framing {
        case .none:
            dispatch(pending)
            return
        case .contentLength(let length):
            guard length <= configuration.maxBodyBytes else {
                fail(.bodyTooLarge, request: request)
                return
            }
            pending.remaining = length
            if length > configuration.largeBodyBytes {
                // A gzip body may inflate to the limit.
                let gzip = head.headers.contains("content-encoding")
                let needed = gzip ? max(length, configuration.maxBodyBytes) : length
                if !reserveBody(needed, for: &pending) {
                    state.enter(.readingBody(pending))
                    return
                }
            }
            pending.body.reserveCapacity(length)
        case .chunked:
            pending.decoder = ChunkedDecoder(limits: configuration.chunkedLimits)
        }
        // RFC 9110 §10.1.1: the client waits for this before sending the body.
        if expectsContinue, bufferedCount == 0 {
            enqueue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            flush()
        }
        state.enter(.readingBody(pending))
    }

    /// Takes `bytes` of the loop's body budget, or queues the connection for it (reading
    /// pauses until `budgetGranted`).
    func reserveBody(_ bytes: Int, for pending: inout HTTPConnectionState.PendingBody) -> Bool {
        if context.reserveBody(bytes) {
            reservedBodyBytes += bytes
            return true
        }
        pending.awaitingBudget = bytes
        context.waitForBodyBudget(self)
        return false
    }

    /// The loop's body budget has room for the body this connection waits to read.
    package func budgetGranted() {
        guard !isClosed, case .readingBody(var pending) = state.phase, pending.awaitingBudget > 0 else { return }
        reservedBodyBytes += pending.awaitingBudget
        pending.awaitingBudget = 0
        if pending.decoder == nil { pending.body.reserveCapacity(pending.remaining) }
        state.enter(.readingBody(pending))
        processInbound()
        if state.peerClosed, !isClosed { handlePeerClosed() }
        updateInterest()
    }

    /// Bytes of the budget this connection waits for, if it waits.
    package var awaitedBudget: Int {
        if case .readingBody(let pending) = state.phase { return pending.awaitingBudget }
        return 0
    }

    func releaseBody() {
        guard reservedBodyBytes > 0 else { return }
        let released = reservedBodyBytes
        reservedBodyBytes = 0
        context.releaseBody(released)
    }

    /// Moves buffered bytes into the body; returns nil while more are needed.
    func continueBody(_ pending: inout HTTPConnectionState.PendingBody) -> Result<Void, HTTPParseError>? {
        guard pending.awaitingBudget == 0 else { return nil }
        if var decoder = pending.decoder {
            let outcome: Result<Int, HTTPParseError> = inbound.withUnsafeBufferPointer { buffer in
                Result { () throws(HTTPParseError) -> Int in
                    try decoder.decode(UnsafeBufferPointer(rebasing: buffer[inboundStart...]), into: &pending.body)
                }
            }
            pending.decoder = decoder
            switch outcome {
            case .success(let consumed): consume(consumed)
            case .failure(let error): return .failure(error)
            }
            // A chunked body has no length to reserve up front: past the large-body size it
            // reserves the whole limit, or waits for it.
            if reservedBodyBytes == 0, pending.body.count > configuration.largeBodyBytes, !decoder.isComplete,
                !reserveBody(configuration.maxBodyBytes, for: &pending)
            {
                return nil
            }
            return decoder.isComplete ? .success(()) : nil
        }
        let take = min(pending.remaining, bufferedCount)
        pending.body.append(contentsOf: inbound[inboundStart..<inboundStart + take])
        consume(take)
        pending.remaining -= take
        return pending.remaining == 0 ? .success(()) : nil
    }

    func consume(_ count: Int) {
        inboundStart += count
        if inboundStart == inbound.count {
            inbound.removeAll(keepingCapacity: inbound.capacity <= 65536)
            inboundStart = 0
        } else if inboundStart > 32768 {
            // A buffer that grew while a body streamed through keeps its capacity when merely
            // shifted: on a connection that is never drained (a pipelining client) that was
            // half a megabyte each. Only a buffer of ordinary size is kept.
            if inbound.capacity > 2 * HTTPConnectionState.inboundHighWater {
                inbound = Array(inbound[inboundStart...])
            } else {
                inbound.removeFirst(inboundStart)
            }
            inboundStart = 0
        }
    }

    // MARK: Handling

    func dispatch(_ pending: HTTPConnectionState.PendingBody) {
        var body = pending.body
        let headers = pending.head.headers
        let codings = headers.contains("content-encoding") ? headers.listElements("content-encoding").filter { $0 != "identity" } : []
        if !codings.isEmpty, !body.isEmpty {
            guard codings == ["gzip"] || codings == ["x-gzip"] else {
                let problem = Problem(
                    .unsupportedMediaType,
                    detail: "Content-Encoding '\(codings.joined(separator: ", "))' is not supported; use gzip or none.")
                respond(problem.response(requestID: pending.request.requestID, instance: pending.head.path), to: pending.request)
                return
            }
            do {
                body = try context.decompressor.decompress(body, limit: configuration.maxBodyBytes)
            } catch .tooLarge {
                let problem = Problem(
                    .payloadTooLarge, detail: "The gzip body inflates past the limit of \(configuration.maxBodyBytes) bytes.")
                respond(problem.response(requestID: pending.request.requestID, instance: pending.head.path), to: pending.request)
                return
            } catch {
                let problem = Problem(.malformedRequest, detail: "The body is declared as gzip but is not valid gzip data.")
                respond(problem.response(requestID: pending.request.requestID, instance: pending.head.path), to: pending.request)
                return
            }
        }
        state.enter(.handling(pending.request))
        var forwarded: ForwardedRequest?
        if !configuration.trustedProxies.isEmpty {
            let resolution = ForwardedRequest.resolve(
                peer: remoteAddress, headers: pending.head.headers, trusted: configuration.trustedProxies,
                family: configuration.forwardedHeaders)
            forwarded = resolution.request
            var inFlight = pending.request
            inFlight.clientAddress = resolution.request.clientAddress
            if !resolution.ignored.isEmpty {
                inFlight.ignoredForwarding = resolution.ignored
                inFlight.ignoredForwardingTotal = context.statistics.ignoredForwarding.add(1, ordering: .relaxed).newValue
            }
            state.enter(.handling(inFlight))
        }
        let request = HTTPRequest(
            head: pending.head, body: body, trailers: pending.decoder?.trailers ?? HTTPHeaders(),
            requestID: pending.request.requestID, remoteAddress: remoteAddress, eventLoop: context.loop, forwarded: forwarded)
        let responder = context.responder
        let context = self.context
        let descriptor = self.descriptor
        let serial = self.serial
        guard request.body.count <= configuration.largeBodyBytes else {
            // Checking a large body can take milliseconds: the large-body loop does it, and this
            // loop goes on serving its other connections. The answer hops back (`deliver`).
            Task(executorPreference: context.largeBodyLoop) {
                let response = await responder.respond(to: request)
                context.deliver(response, descriptor: descriptor, serial: serial)
            }
            return
        }
        context.workers.run(RequestWorkers.Job(request: request, descriptor: descriptor, serial: serial))
    }

    package func finishRequest(with response: HTTPResponse) {
        guard case .handling(let request) = state.phase else { return }
        respond(response, to: request, fromResponder: true)
        if !isClosed { processInbound() }
        if state.peerClosed, !isClosed { handlePeerClosed() }
        updateInterest()
    }

    // MARK: Writing
}
