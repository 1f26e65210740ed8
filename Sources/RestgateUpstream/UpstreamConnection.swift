import CLinux
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive connection to an upstream, confined to its loop: connect, write one
/// request, read one answer (Content-Length, chunked, or until close; gzip inflated), then
/// back to the pool.
package final class UpstreamConnection: EventHandler {
    package let descriptor: Int32
    /// Strong: a connection parked in the loop may outlive the client that made its pool.
    package let pool: UpstreamPool
    private(set) var state = UpstreamConnectionState()
    private var isClosed: Bool { state.isClosed }

    private var call: UpstreamCall?
    private var outbound: [UInt8] = []
    private var written = 0
    private var reader: UpstreamAnswerReader
    /// Covers the TCP connect and, for https, the TLS handshake.
    private var connectTimer: ScheduledTimer?
    private var tls: TLSSession?

    /// A connection whose non-blocking connect has started; `connected()` is called once it
    /// is up (at once, or on the first writable event).
    package init(descriptor: Int32, pool: UpstreamPool) {
        self.descriptor = descriptor
        self.pool = pool
        self.reader = UpstreamAnswerReader(limit: pool.configuration.maxResponseBytes)
    }

    /// Sends `call` on this connection (waiting for the connect to finish first if needed).
    package func start(_ call: UpstreamCall) {
        self.call = call
        call.connection = self
        call.attempts += 1
        outbound = call.bytes
        written = 0
        reader.reset()
        switch state.start() {
        case .writeRequest:
            writeRequest()
        case .awaitTransport:
            setInterest(.write)
            if connectTimer == nil {
                connectTimer = pool.loop.schedule(after: pool.configuration.connectTimeout) { [weak self] in
                    self?.pool.address.askForRefresh()
                    self?.fail(.connectTimeout, retryable: false)
                }
            }
        }
    }

    /// A pooled connection is alive if the upstream neither closed it nor sent stray bytes.
    package func isAlive() -> Bool {
        var byte: UInt8 = 0
        let result = recv(descriptor, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        return result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    package func handleEvents(_ events: UInt32) {
        switch state.phase {
        case .connecting:
            finishConnecting()
            return
        case .handshaking:
            continueHandshake()
            return
        case .closed:
            return
        case .idle, .writing, .reading:
            break
        }
        // With TLS a write may wait for a read and the other way round, so a pending write
        // is retried on any event.
        if call != nil, written < outbound.count { writeRequest() }
        if isClosed { return }
        if events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { state.sawPeerClose() }
        let readable = events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
        if readable || (state.readWaitsForWrite && events & EPOLLOUT.rawValue != 0) { readAnswer() }
    }

    /// Called once the TCP connection is up: starts TLS for https, else sends.
    package func connected() {
        pool.connectionOpened()
        switch state.connected(usesTLS: pool.tlsContext != nil) {
        case .startHandshake:
            guard let context = pool.tlsContext else { return }
            do {
                tls = try TLSSession(context: context, descriptor: descriptor, host: pool.url.host, resuming: pool.tlsSession)
            } catch {
                fail(error, retryable: false)
                return
            }
            continueHandshake()
        case .writeRequest:
            connectTimer?.cancel()
            connectTimer = nil
            writeRequest()
        case .listen:
            connectTimer?.cancel()
            connectTimer = nil
        }
    }

    private func continueHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done:
            connectTimer?.cancel()
            connectTimer = nil
            if let failure = tls.verificationFailure {
                fail(.tls(failure), retryable: false)
                return
            }
            pool.handshakeFinished(tls)
            switch state.handshakeFinished() {
            case .writeRequest: writeRequest()
            case .listen, .startHandshake: setInterest(.read)
            }
        case .wantRead:
            setInterest(.read)
        case .wantWrite:
            setInterest(.write)
        case .closed, .truncated:
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
            pool.address.askForRefresh()
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
                setInterest(.readWrite)
                return
            case .wantRead:
                setInterest(.read)
                return
            case .closed, .truncated:
                fail(.connectionReset("closed while sending"), retryable: state.mayRetryWriteFailure(bytesWritten: written))
                return
            case .failed(let detail):
                fail(.connectionReset(detail), retryable: state.mayRetryWriteFailure(bytesWritten: written))
                return
            }
        }
        state.requestWritten()
        setInterest(.read)
    }

    private func readAnswer() {
        let chunk = pool.readBuffer
        if state.readWaitsForWrite {
            state.readWaitsForWrite = false
            setInterest(written < outbound.count ? .readWrite : .read)
        }
        while !isClosed {
            switch transportRead(chunk) {
            case .done(let count):
                guard call != nil else {
                    close()  // stray bytes on an idle connection: it can no longer be trusted
                    return
                }
                switch reader.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<count])) {
                case .needMoreData: continue
                case .complete(let answer): complete(answer)
                case .failed(let error): fail(error, retryable: false)
                }
                return
            case .wantRead:
                return
            case .wantWrite:
                state.readWaitsForWrite = true
                setInterest(.readWrite)
                return
            case .closed:
                endOfStream(cleanly: true)
                return
            case .truncated:
                endOfStream(cleanly: tls == nil)
                return
            case .failed(let detail):
                fail(.connectionReset(detail), retryable: false)
                return
            }
        }
    }

    /// The upstream closed; `cleanly` is false for TLS without close_notify.
    private func endOfStream(cleanly: Bool) {
        guard let call else {
            close()  // the upstream closed an idle pooled connection
            return
        }
        switch reader.end(cleanly: cleanly) {
        case .complete(let answer):
            complete(answer)
        case .failed(let error):
            fail(error, retryable: false)
        case .needMoreData:
            // Closed before any answer on a reused connection: the keep-alive race. A request
            // that may have reached the upstream is repeated only when it is idempotent.
            let retryable = state.mayRetryEarlyClose(receivedAnything: reader.hasReceivedAnything, isIdempotent: call.isIdempotent)
            fail(.connectionReset("closed before a whole answer"), retryable: retryable)
        }
    }

    private func complete(_ answer: UpstreamAnswerReader.Answer) {
        guard let call else { return }
        self.call = nil
        let payload: [UInt8]
        do {
            payload = try UpstreamAnswerReader.payload(
                of: answer, decompressor: pool.decompressor, limit: pool.configuration.maxResponseBytes)
        } catch {
            close()
            call.finish(.failure(error))
            return
        }
        let head = answer.head
        // An answer that came before the whole request was written (a 4xx to a body it did not
        // read) leaves the rest of the request unsent: the next call's bytes would land in it.
        let persistent = !answer.endedByClose && !answer.hasExtraBytes && UpstreamAnswerReader.isPersistent(head)
        let reusable = state.answered(persistent: persistent, wroteWholeRequest: written == outbound.count)
        if let tls { pool.rememberSession(of: tls) }
        if reusable { pool.release(self) } else { close() }
        call.finish(.success(UpstreamResponse(status: head.status, headers: head.headers, body: payload)))
    }

    /// Fails the call in flight (the pool retries it once when `retryable`) and closes.
    package func fail(_ error: UpstreamError, retryable: Bool) {
        let call = self.call
        self.call = nil
        close()
        guard let call, !call.isFinished else { return }
        pool.connectionFailed(call, error: error, retryable: retryable)
    }

    private var interest = IOInterest.none

    private func setInterest(_ wanted: IOInterest) {
        guard !isClosed, wanted != interest else { return }
        interest = wanted
        pool.loop.setInterest(descriptor, wanted)
    }

    /// While idle in the pool it listens only for the upstream closing it.
    package func parkIdle() {
        setInterest(.read)
    }

    package func close() {
        guard state.close() else { return }
        connectTimer?.cancel()
        tls?.shutdown()
        tls = nil
        pool.loop.deregister(descriptor)
        Glibc.close(descriptor)
        pool.connectionClosed(self)
    }
}
