import CLinux
import RestgateGzip
package import RestgateHTTP
import RestgateJSON
package import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection, confined to its event loop. It reads bytes, feeds the head parser
/// and body decoders, runs one request at a time (pipelined requests wait in the buffer, so
/// answers go out in order), writes responses, and closes on errors, timeouts and drains.
package final class HTTPConnection: EventHandler {
    package let descriptor: Int32
    package let serial: UInt64
    package let remoteAddress: String
    unowned let context: ServerLoopContext

    private var phase = Phase.awaitingHead
    private var parser: RequestHeadParser
    /// Received bytes not yet consumed start at `inboundStart`.
    private var inbound: [UInt8] = []
    private var inboundStart = 0
    private var outbound: [[UInt8]] = []
    private var outboundOffset = 0
    private var outboundBytes = 0
    private var interest = IOInterest.read
    /// Set for a request's head; nil while the connection sits idle between requests.
    private var headerDeadline: Instant?
    private var idleSince: Instant?
    /// The last read or write, for a stalled body.
    private var lastProgress: Instant
    /// When the answer being written last moved (or began waiting), for `sendTimeout`.
    private var lastWriteProgress: Instant
    private var lingerDeadline: Instant?
    private var lastKernelBacklog: Int32 = -1
    /// This connection's share of the loop's large-body budget, held until its answer.
    private var reservedBodyBytes = 0
    private var closeAfterWrite = false
    /// A pipelined request waits for the client to take the earlier answers (the sweep looks
    /// again); reading pauses meanwhile.
    private var waitsForReader = false
    /// The last answer was queued while the next request was already arriving (pipelining):
    /// before that one is read, the kernel is asked how much of the answers is still unread.
    private var answeredWhilePipelining = false
    private var peerClosed = false
    private(set) var isClosed = false

    /// Reading pauses while a request is handled and this much is already buffered.
    private static let inboundHighWater = 65536
    /// Pipelined requests wait while this much of earlier answers is still unsent.
    private static let outboundHighWater = 262_144
    /// A pipelined request waits while this much of the earlier answers sits unacknowledged in
    /// the kernel: a client that sends requests and reads no answer gets a couple of them
    /// worked on, not one for every megabyte the kernel will buffer.
    private static let pipelinedUnreadLimit: Int32 = 32768

    private enum Phase {
        case awaitingHead
        case readingBody(PendingBody)
        case handling(InFlight)
        case lingering
    }

    private struct PendingBody {
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

    package init(descriptor: Int32, serial: UInt64, remoteAddress: String, context: ServerLoopContext) {
        self.descriptor = descriptor
        self.serial = serial
        self.remoteAddress = remoteAddress
        self.context = context
        self.parser = RequestHeadParser(limits: context.configuration.head)
        let now = context.loop.now
        self.lastProgress = now
        self.lastWriteProgress = now
        self.headerDeadline = now + context.configuration.headerTimeout
    }

    private var configuration: HTTPServerConfiguration { context.configuration }
    private var bufferedCount: Int { inbound.count - inboundStart }

    // MARK: Events

    package func handleEvents(_ events: UInt32) {
        // HUP or ERR: the peer can no longer receive (reset, or both directions shut), and
        // level-triggered epoll would report it again on every iteration.
        if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            close()
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            flush()
            resumeAfterWriting()
        }
        if isClosed { return }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 {
            readAvailable()
        }
    }

    private func readAvailable() {
        let buffer = context.readBuffer
        for _ in 0..<8 {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 {
                lastProgress = context.loop.now
                if case .lingering = phase { continue }
                inbound.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if count < buffer.count { break }
                // Bytes read ahead of what the request in progress needs wait in the kernel
                // instead of in our memory: a pipelining client that never reads its answers
                // would otherwise park half a megabyte on every connection.
                if bufferedCount >= readAheadLimit { break }
            } else if count == 0 {
                peerClosed = true
                break
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else {
                close()
                return
            }
        }
        processInbound()
        if peerClosed, !isClosed { handlePeerClosed() }
        updateInterest()
    }

    /// The client will send nothing more (it may still read): requests already buffered are
    /// answered in order, and the connection closes once none can complete.
    private func handlePeerClosed() {
        switch phase {
        case .lingering:
            close()
        case .handling:
            break  // `finishRequest` comes back here once the answer is queued.
        case .awaitingHead where waitsForReader:
            break  // the sweep reads the waiting request once the answers are taken
        case .awaitingHead, .readingBody:
            if outboundBytes == 0 { close() } else { closeAfterWrite = true }
        }
    }

    // MARK: Reading requests

    private func processInbound() {
        while !isClosed {
            switch phase {
            case .awaitingHead:
                guard bufferedCount > 0, !closeAfterWrite, !waitsForReader else { return }
                if answeredWhilePipelining {
                    answeredWhilePipelining = false
                    if restgate_unsent_bytes(descriptor) > Self.pipelinedUnreadLimit { waitsForReader = true }
                }
                if waitsForReader {
                    lastKernelBacklog = -1
                    lastWriteProgress = context.loop.now
                    return
                }
                if headerDeadline == nil {
                    headerDeadline = context.loop.now + configuration.headerTimeout
                    idleSince = nil
                }
                // Pipelined requests wait while earlier answers are unsent; `flush` resumes them.
                guard outboundBytes < Self.outboundHighWater else { return }
                let result = inbound.withUnsafeBufferPointer { buffer in
                    parser.parse(UnsafeBufferPointer(rebasing: buffer[inboundStart...]))
                }
                switch result {
                case .needMoreData:
                    return
                case .failed(let error):
                    fail(error, request: nil)
                    return
                case .complete(let head, let length):
                    consume(length)
                    parser.reset()
                    headerDeadline = nil
                    beginRequest(head)
                }
            case .readingBody(var pending):
                guard bufferedCount > 0 else { return }
                phase = .awaitingHead  // placeholder while `pending` is mutated locally
                if let outcome = continueBody(&pending) {
                    switch outcome {
                    case .success: dispatch(pending)
                    case .failure(let error): fail(error, request: pending.request)
                    }
                } else {
                    phase = .readingBody(pending)
                    return
                }
            case .handling, .lingering:
                return
            }
        }
    }

    private func beginRequest(_ head: RequestHead) {
        let offered = head.headers["x-request-id"]
        let requestID = offered.flatMap { RequestID.isAcceptable($0) ? $0 : nil } ?? context.requestIDs.make()
        let request = InFlight(
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
        var pending = PendingBody(
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
                    phase = .readingBody(pending)
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
        phase = .readingBody(pending)
    }

    /// Takes `bytes` of the loop's body budget, or queues the connection for it (reading
    /// pauses until `budgetGranted`).
    private func reserveBody(_ bytes: Int, for pending: inout PendingBody) -> Bool {
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
        guard !isClosed, case .readingBody(var pending) = phase, pending.awaitingBudget > 0 else { return }
        reservedBodyBytes += pending.awaitingBudget
        pending.awaitingBudget = 0
        if pending.decoder == nil { pending.body.reserveCapacity(pending.remaining) }
        phase = .readingBody(pending)
        processInbound()
        if peerClosed, !isClosed { handlePeerClosed() }
        updateInterest()
    }

    /// Bytes of the budget this connection waits for, if it waits.
    package var awaitedBudget: Int {
        if case .readingBody(let pending) = phase { return pending.awaitingBudget }
        return 0
    }

    private func releaseBody() {
        guard reservedBodyBytes > 0 else { return }
        let released = reservedBodyBytes
        reservedBodyBytes = 0
        context.releaseBody(released)
    }

    /// Moves buffered bytes into the body; returns nil while more are needed.
    private func continueBody(_ pending: inout PendingBody) -> Result<Void, HTTPParseError>? {
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

    private func consume(_ count: Int) {
        inboundStart += count
        if inboundStart == inbound.count {
            inbound.removeAll(keepingCapacity: inbound.capacity <= 65536)
            inboundStart = 0
        } else if inboundStart > 32768 {
            // A buffer that grew while a body streamed through keeps its capacity when merely
            // shifted: on a connection that is never drained (a pipelining client) that was
            // half a megabyte each. Only a buffer of ordinary size is kept.
            if inbound.capacity > 2 * Self.inboundHighWater {
                inbound = Array(inbound[inboundStart...])
            } else {
                inbound.removeFirst(inboundStart)
            }
            inboundStart = 0
        }
    }

    // MARK: Handling

    private func dispatch(_ pending: PendingBody) {
        var body = pending.body
        let codings = pending.head.headers.listElements("content-encoding").filter { $0 != "identity" }
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
        phase = .handling(pending.request)
        var request = HTTPRequest(
            head: pending.head, body: body, trailers: pending.decoder?.trailers ?? HTTPHeaders(),
            requestID: pending.request.requestID, remoteAddress: remoteAddress, eventLoop: context.loop)
        if !configuration.trustedProxies.isEmpty {
            let resolution = ForwardedRequest.resolve(
                peer: remoteAddress, headers: pending.head.headers, trusted: configuration.trustedProxies,
                family: configuration.forwardedHeaders)
            request.forwarded = resolution.request
            var inFlight = pending.request
            inFlight.clientAddress = request.forwarded.clientAddress
            if !resolution.ignored.isEmpty {
                inFlight.ignoredForwarding = resolution.ignored
                inFlight.ignoredForwardingTotal = context.statistics.ignoredForwarding.add(1, ordering: .relaxed).newValue
            }
            phase = .handling(inFlight)
        }
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
        Task(executorPreference: context.loop) {
            let response = await responder.respond(to: request)
            context.deliver(response, descriptor: descriptor, serial: serial)
        }
    }

    package func finishRequest(with response: HTTPResponse) {
        guard case .handling(let request) = phase else { return }
        respond(response, to: request)
        if !isClosed { processInbound() }
        if peerClosed, !isClosed { handlePeerClosed() }
        updateInterest()
    }

    // MARK: Writing

    private func respond(_ response: HTTPResponse, to request: InFlight) {
        releaseBody()
        answeredWhilePipelining = bufferedCount > 0
        let keepAlive = request.keepAlive && !closeAfterWrite && !context.isDraining
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
                ignoredForwarding: request.ignoredForwarding, ignoredForwardingTotal: request.ignoredForwardingTotal))
        phase = .awaitingHead
        if !keepAlive { closeAfterWrite = true }
        flush()
        if !isClosed, !closeAfterWrite, bufferedCount == 0 { idleSince = context.loop.now }
    }

    /// Answers a request the server could not read and closes: after a framing error, where
    /// the next request would start is unknowable.
    private func fail(_ error: HTTPParseError, request: InFlight?) {
        let problem = Problem(ProblemCode.forParseError(error), detail: error.detail)
        failWithProblem(problem, request: request)
    }

    private func failWithProblem(_ problem: Problem, request: InFlight?) {
        closeAfterWrite = true
        let request =
            request
            ?? InFlight(
                method: HTTPMethod(rawValue: "-"), path: "-", version: .http1_1, keepAlive: false,
                requestID: context.requestIDs.make(), startedAt: context.loop.now)
        let instance = request.path == "-" ? nil : request.path
        respond(problem.response(requestID: request.requestID, instance: instance), to: request)
    }

    private func enqueue(_ bytes: [UInt8]) {
        if outboundBytes == 0 { lastWriteProgress = context.loop.now }
        outboundBytes += bytes.count
        context.statistics.bufferedResponseBytes.add(bytes.count, ordering: .relaxed)
        outbound.append(bytes)
    }

    private func flush() {
        while !outbound.isEmpty {
            let written = writeVectored()
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                close()
                return
            }
            lastProgress = context.loop.now
            lastWriteProgress = lastProgress
            advance(by: written)
        }
        if outbound.isEmpty, closeAfterWrite, !isHandling { beginLingeringClose() }
        updateInterest()
    }

    /// After EPOLLOUT: pipelined requests that waited for earlier answers to drain go on. (Not
    /// done in `flush`, which `respond` calls from inside `processInbound`.)
    private func resumeAfterWriting() {
        guard !isClosed, case .awaitingHead = phase, bufferedCount > 0, outboundBytes < Self.outboundHighWater else { return }
        processInbound()
        if peerClosed, !isClosed { handlePeerClosed() }
        updateInterest()
    }

    private var isHandling: Bool {
        if case .handling = phase { return true }
        return false
    }

    /// How much may sit unconsumed in `inbound` before reading stops for this event: what a
    /// body still needs (it is moved out right after), else one head's worth.
    private var readAheadLimit: Int {
        if case .readingBody(let pending) = phase, pending.awaitingBudget == 0 {
            return max(Self.inboundHighWater, pending.decoder == nil ? pending.remaining : configuration.maxBodyBytes)
        }
        return Self.inboundHighWater
    }

    private func writeVectored() -> Int {
        let count = min(outbound.count, 16)
        var vectors = [iovec](repeating: iovec(), count: count)
        return withExtendedLifetime(outbound) {
            for index in 0..<count {
                let chunk = outbound[index]
                let offset = index == 0 ? outboundOffset : 0
                chunk.withUnsafeBufferPointer { buffer in
                    vectors[index] = iovec(
                        iov_base: UnsafeMutableRawPointer(mutating: buffer.baseAddress! + offset), iov_len: buffer.count - offset)
                }
            }
            return vectors.withUnsafeMutableBufferPointer { vectorBuffer in
                var message = msghdr()
                message.msg_iov = vectorBuffer.baseAddress
                message.msg_iovlen = count
                return sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL))
            }
        }
    }

    private func advance(by written: Int) {
        var remaining = written
        outboundBytes -= written
        context.statistics.bufferedResponseBytes.subtract(written, ordering: .relaxed)
        while remaining > 0, let first = outbound.first {
            let left = first.count - outboundOffset
            if remaining >= left {
                remaining -= left
                outbound.removeFirst()
                outboundOffset = 0
            } else {
                outboundOffset += remaining
                remaining = 0
            }
        }
    }

    // MARK: Closing

    /// Shuts the write side and reads until the client closes (or briefly), so unread
    /// request bytes do not make the kernel reset the connection and destroy our answer.
    private func beginLingeringClose() {
        if case .lingering = phase { return }
        phase = .lingering
        inbound = []
        inboundStart = 0
        if peerClosed {
            close()
            return
        }
        shutdown(descriptor, Int32(SHUT_WR))
        lingerDeadline = context.loop.now + .seconds(2)
    }

    /// Closes the connection if it is idle; otherwise the request in progress finishes and its
    /// answer carries `Connection: close` (`respond` checks the server's drain state).
    ///
    /// A connection looks idle too when its request is already in the kernel's buffer but not
    /// yet read; that request was sent before the drain, so it is read and served first.
    package func drain() {
        guard case .awaitingHead = phase, bufferedCount == 0 else { return }
        readAvailable()
        guard !isClosed, case .awaitingHead = phase, bufferedCount == 0 else { return }
        if outboundBytes == 0 { close() } else { closeAfterWrite = true }
    }

    package func checkTimeouts(now: Instant) {
        switch phase {
        case .awaitingHead:
            // An answer still being written is judged by write progress alone: a large body
            // to a slow reader may take longer than the idle timeout, and that is fine.
            if outboundBytes > 0 || waitsForReader {
                if hasStalledWriting(now: now) {
                    close()
                } else if waitsForReader, outboundBytes == 0, restgate_unsent_bytes(descriptor) <= Self.pipelinedUnreadLimit {
                    // The client has taken its answers: its pipelined request is read now.
                    waitsForReader = false
                    processInbound()
                    if peerClosed, !isClosed { handlePeerClosed() }
                    updateInterest()
                }
            } else if let deadline = headerDeadline, now >= deadline {
                idleSince = nil
                failWithProblem(
                    Problem(.requestTimeout, detail: "The request's header section did not arrive within \(configuration.headerTimeout)."),
                    request: nil)
            } else if let idleSince, now >= idleSince + configuration.idleTimeout {
                // The last answer may still sit in the kernel's send queue for a slow reader;
                // closing now would cut it short, so idleness starts once it is delivered.
                let backlog = restgate_unsent_bytes(descriptor)
                if backlog > 0, backlog != lastKernelBacklog {
                    lastKernelBacklog = backlog
                    self.idleSince = now
                } else {
                    close()
                }
            }
        case .readingBody(let pending):
            if now >= pending.deadline {
                failWithProblem(
                    Problem(.requestTimeout, detail: "The request body did not arrive whole within \(configuration.bodyTimeout)."),
                    request: pending.request)
            } else if now >= lastProgress + configuration.idleTimeout {
                failWithProblem(
                    Problem(.requestTimeout, detail: "The request body stalled for \(configuration.idleTimeout)."), request: pending.request
                )
            }
        case .handling:
            if outboundBytes > 0, hasStalledWriting(now: now) { close() }
        case .lingering:
            if let lingerDeadline, now >= lingerDeadline { close() }
        }
    }

    /// Whether the peer has taken nothing of its answer for the send timeout. Our last
    /// `sendmsg` is not the only measure: with a multi-megabyte send buffer, EPOLLOUT comes
    /// only once much of it has drained, so progress is also read from the kernel's queue of
    /// unacknowledged bytes. Reads are no progress: a client that sends and never reads
    /// must not keep its answers in memory.
    private func hasStalledWriting(now: Instant) -> Bool {
        let backlog = restgate_unsent_bytes(descriptor)
        if backlog != lastKernelBacklog {
            lastKernelBacklog = backlog
            lastWriteProgress = now
        }
        return now >= lastWriteProgress + configuration.sendTimeout
    }

    private func updateInterest() {
        guard !isClosed else { return }
        var wanted: IOInterest = []
        let pausedForBacklog: Bool
        switch phase {
        case .handling: pausedForBacklog = bufferedCount >= Self.inboundHighWater
        // A client that does not read its answers is not read from either.
        case .awaitingHead: pausedForBacklog = outboundBytes >= Self.outboundHighWater || waitsForReader
        case .readingBody(let pending): pausedForBacklog = pending.awaitingBudget > 0
        default: pausedForBacklog = false
        }
        if !peerClosed, !pausedForBacklog { wanted.insert(.read) }
        if outboundBytes > 0 { wanted.insert(.write) }
        if wanted != interest {
            interest = wanted
            context.loop.setInterest(descriptor, wanted)
        }
    }

    package func close() {
        guard !isClosed else { return }
        isClosed = true
        context.loop.deregister(descriptor)
        Glibc.close(descriptor)
        context.statistics.bufferedResponseBytes.subtract(outboundBytes, ordering: .relaxed)
        outboundBytes = 0
        releaseBody()
        outbound = []
        inbound = []
        context.forget(self)
    }
}
