import CLinux
import RestgateHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive connection to an upstream, confined to its loop: connect, write one
/// request, read one answer (Content-Length, chunked, or until close; gzip inflated), then
/// back to the pool.
final class UpstreamConnection: EventHandler {
    let descriptor: Int32
    /// Strong: a connection parked in the loop may outlive the client that made its pool.
    let pool: UpstreamPool
    private(set) var isConnected = false
    private(set) var isClosed = false
    private(set) var idleSince: Instant
    /// `EventLoop.polls` when it last went idle.
    private(set) var idleSincePoll: UInt64 = 0
    /// Whether it has carried a request before: a reused connection may have been closed by
    /// the upstream in the meantime, the one failure worth a transparent retry.
    private(set) var isReused = false

    private var call: UpstreamCall?
    private var outbound: [UInt8] = []
    private var written = 0
    private var inbound: [UInt8] = []
    private var head: ResponseHeadParser.Head?
    private var body: [UInt8] = []
    private var framing = Framing.untilClose
    /// Covers the TCP connect and, for https, the TLS handshake.
    private var connectTimer: ScheduledTimer?
    private var tls: TLSSession?
    private var isHandshaking = false
    /// TLS asked to write before it can read on (a key update): writable events resume reading.
    private var readWaitsForWrite = false

    private enum Framing {
        case length(Int)
        case chunked(ChunkedDecoder)
        case untilClose
    }

    /// A connection whose non-blocking connect has started; `connected()` is called once it
    /// is up (at once, or on the first writable event).
    init(descriptor: Int32, pool: UpstreamPool) {
        self.descriptor = descriptor
        self.pool = pool
        self.idleSince = pool.loop.now
    }

    /// Sends `call` on this connection (waiting for the connect to finish first if needed).
    func start(_ call: UpstreamCall) {
        self.call = call
        call.connection = self
        call.attempts += 1
        outbound = call.bytes
        written = 0
        inbound.removeAll(keepingCapacity: true)
        head = nil
        body = []
        if isConnected, !isHandshaking {
            writeRequest()
        } else {
            setInterest(.write)
            if connectTimer == nil {
                connectTimer = pool.loop.schedule(after: pool.configuration.connectTimeout) { [weak self] in
                    self?.fail(.connectTimeout, retryable: false)
                }
            }
        }
    }

    /// A pooled connection is alive if the upstream neither closed it nor sent stray bytes.
    func isAlive() -> Bool {
        var byte: UInt8 = 0
        let result = recv(descriptor, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        return result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    func handleEvents(_ events: UInt32) {
        if !isConnected {
            finishConnecting()
            return
        }
        if isHandshaking {
            continueHandshake()
            return
        }
        // With TLS a write may wait for a read and the other way round, so a pending write
        // is retried on any event.
        if call != nil, written < outbound.count { writeRequest() }
        if isClosed { return }
        if events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { peerClosed = true }
        let readable = events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
        if readable || (readWaitsForWrite && events & EPOLLOUT.rawValue != 0) { readAnswer() }
    }

    /// Called once the TCP connection is up: starts TLS for https, else sends.
    func connected() {
        isConnected = true
        pool.connectionOpened()
        if let context = pool.tlsContext {
            do {
                tls = try TLSSession(context: context, descriptor: descriptor, host: pool.url.host, resuming: pool.tlsSession)
            } catch {
                fail(error, retryable: false)
                return
            }
            isHandshaking = true
            continueHandshake()
            return
        }
        connectTimer?.cancel()
        connectTimer = nil
        if call != nil { writeRequest() }
    }

    private func continueHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done:
            isHandshaking = false
            connectTimer?.cancel()
            connectTimer = nil
            if let failure = tls.verificationFailure {
                fail(.tls(failure), retryable: false)
                return
            }
            pool.handshakeFinished(tls)
            if call != nil { writeRequest() } else { setInterest(.read) }
        case .wantRead:
            setInterest(.read)
        case .wantWrite:
            setInterest(.write)
        case .closed:
            fail(.tls("the upstream closed the connection during the handshake"), retryable: false)
        case .failed(let detail):
            fail(.tls(detail), retryable: false)
        }
    }

    private func transportWrite(_ buffer: UnsafeRawBufferPointer) -> TLSSession.Outcome {
        if let tls { return tls.write(buffer) }
        while true {
            let count = send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .done(count) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .wantWrite }
            return .failed("write failed: errno \(errno)")
        }
    }

    private func transportRead(_ buffer: UnsafeMutableRawBufferPointer) -> TLSSession.Outcome {
        if let tls { return tls.read(into: buffer) }
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .done(count) }
            if count == 0 { return .closed }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .wantRead }
            return .failed("read failed: errno \(errno)")
        }
    }

    private func finishConnecting() {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            let failure: UpstreamError =
                error == ECONNREFUSED ? .connectionRefused("\(pool.url.hostHeader)") : .unavailable("connect: errno \(error)")
            fail(failure, retryable: false)
            return
        }
        connected()
    }

    private func writeRequest() {
        while written < outbound.count {
            switch outbound[written...].withUnsafeBytes({ transportWrite($0) }) {
            case .done(let count):
                written += count
            case .wantWrite:
                setInterest([.read, .write])
                return
            case .wantRead:
                setInterest(.read)
                return
            case .closed:
                fail(.connectionReset("closed while sending"), retryable: written == 0)
                return
            case .failed(let detail):
                // Nothing of the request got out: safe to send again elsewhere, mutation or not.
                fail(.connectionReset(detail), retryable: written == 0)
                return
            }
        }
        setInterest(.read)
    }

    private func readAnswer() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        if readWaitsForWrite {
            readWaitsForWrite = false
            setInterest(written < outbound.count ? [.read, .write] : .read)
        }
        while !isClosed {
            switch chunk.withUnsafeMutableBytes({ transportRead($0) }) {
            case .done(let count):
                guard call != nil else {
                    close()  // stray bytes on an idle connection: it can no longer be trusted
                    return
                }
                inbound.append(contentsOf: chunk[0..<count])
                if processInbound() { return }
            case .wantRead:
                return
            case .wantWrite:
                readWaitsForWrite = true
                setInterest([.read, .write])
                return
            case .closed:
                endOfStream()
                return
            case .failed(let detail):
                fail(.connectionReset(detail), retryable: false)
                return
            }
        }
    }

    /// Returns true when the answer is complete (or the call failed).
    private func processInbound() -> Bool {
        if head == nil {
            let outcome = inbound.withUnsafeBufferPointer { ResponseHeadParser.parse($0) }
            switch outcome {
            case .needMoreData:
                return false
            case .failed(let reason):
                fail(.malformedResponse(reason), retryable: false)
                return true
            case .complete(let parsed):
                inbound.removeFirst(parsed.length)
                if (100...199).contains(parsed.status) { return processInbound() }
                head = parsed
                do {
                    framing = try Self.framing(of: parsed, limit: pool.configuration.maxResponseBytes)
                } catch {
                    fail(error, retryable: false)
                    return true
                }
            }
        }
        let limit = pool.configuration.maxResponseBytes
        switch framing {
        case .length(let remaining):
            let take = min(remaining, inbound.count)
            body.append(contentsOf: inbound[0..<take])
            inbound.removeFirst(take)
            framing = .length(remaining - take)
            if remaining == take {
                complete(keepAlive: true)
                return true
            }
        case .chunked(var decoder):
            do {
                let consumed = try inbound.withUnsafeBufferPointer { buffer throws(HTTPParseError) -> Int in
                    try decoder.decode(buffer, into: &body)
                }
                inbound.removeFirst(consumed)
            } catch .bodyTooLarge {
                fail(.bodyTooLarge(limit: limit), retryable: false)
                return true
            } catch {
                fail(.malformedResponse("chunked body: \(error)"), retryable: false)
                return true
            }
            framing = .chunked(decoder)
            if decoder.isComplete {
                complete(keepAlive: true)
                return true
            }
        case .untilClose:
            body.append(contentsOf: inbound)
            inbound.removeAll(keepingCapacity: true)
            if body.count > limit {
                fail(.bodyTooLarge(limit: limit), retryable: false)
                return true
            }
        }
        return false
    }

    private static func framing(of head: ResponseHeadParser.Head, limit: Int) throws(UpstreamError) -> Framing {
        if head.status == 204 || head.status == 304 { return .length(0) }
        if head.headers.contains("transfer-encoding") {
            guard head.headers.listElements("transfer-encoding") == ["chunked"] else {
                throw .malformedResponse("unsupported transfer coding")
            }
            return .chunked(ChunkedDecoder(limits: ChunkedBodyLimits(maxBodyBytes: limit)))
        }
        if let value = head.headers["content-length"] {
            guard let length = Int(value), length >= 0 else { throw .malformedResponse("bad Content-Length") }
            guard length <= limit else { throw .bodyTooLarge(limit: limit) }
            return .length(length)
        }
        return .untilClose
    }

    private func endOfStream() {
        if case .untilClose = framing, head != nil {
            complete(keepAlive: false)
            return
        }
        guard let call else {
            close()  // the upstream closed an idle pooled connection
            return
        }
        // Closed before any answer on a reused connection: the keep-alive race. A request
        // that may have reached the upstream is repeated only when it is idempotent.
        let nothingReceived = head == nil && inbound.isEmpty
        fail(.connectionReset("closed before a whole answer"), retryable: nothingReceived && isReused && call.isIdempotent)
    }

    private func complete(keepAlive: Bool) {
        guard let call, let head else { return }
        self.call = nil
        var payload = body
        body = []
        if head.headers.listElements("content-encoding").contains("gzip"), !payload.isEmpty {
            do {
                payload = try pool.decompressor.decompress(payload, limit: pool.configuration.maxResponseBytes)
            } catch .tooLarge {
                close()
                call.finish(.failure(.bodyTooLarge(limit: pool.configuration.maxResponseBytes)))
                return
            } catch {
                close()
                call.finish(.failure(.malformedResponse("gzip body is corrupt")))
                return
            }
        }
        let headers = head.headers.map { (name: $0.name, value: $0.value) }
        // HTTP/1.0 closes after each answer unless it says keep-alive (RFC 9112 §9.3).
        let persistent =
            head.isHTTP10 ? head.headers.hasListElement("connection", "keep-alive") : !head.headers.hasListElement("connection", "close")
        let reusable = keepAlive && inbound.isEmpty && persistent && !peerClosed
        if let tls { pool.rememberSession(of: tls) }
        isReused = true
        idleSince = pool.loop.now
        idleSincePoll = pool.loop.polls
        if reusable { pool.release(self) } else { close() }
        call.finish(.success(UpstreamResponse(status: head.status, headers: headers, body: payload)))
    }

    /// Fails the call in flight (the pool retries it once when `retryable`) and closes.
    func fail(_ error: UpstreamError, retryable: Bool) {
        let call = self.call
        self.call = nil
        close()
        guard let call, !call.isFinished else { return }
        pool.connectionFailed(call, error: error, retryable: retryable)
    }

    private var interest = IOInterest.none
    /// The upstream closed its side (or the socket failed) in an event already seen: an answer
    /// read in that event completes, but the connection is not pooled.
    private var peerClosed = false

    private func setInterest(_ wanted: IOInterest) {
        guard !isClosed, wanted != interest else { return }
        interest = wanted
        pool.loop.setInterest(descriptor, wanted)
    }

    /// While idle in the pool it listens only for the upstream closing it.
    func parkIdle() {
        setInterest(.read)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        connectTimer?.cancel()
        tls?.shutdown()
        tls = nil
        pool.loop.deregister(descriptor)
        Glibc.close(descriptor)
        pool.connectionClosed(self)
    }
}
