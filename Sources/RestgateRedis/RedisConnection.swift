import DequeModule
import RestgateRuntime
import RestgateStore
import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// One loop's connection to Redis: commands pipelined in order, replies matched first in,
/// first out. It connects on first use (AUTH and SELECT go first), fails every waiting
/// command and backs off (50 ms doubling to 2 s) when the connection breaks or a reply is
/// late, and during a backoff refuses commands at once, so a request never waits on a Redis
/// that is down. With `rediss://` the connection is TLS (OpenSSL, the upstreams' CA options)
/// before AUTH. Commands sent while the loop works on one batch of events go out in one
/// write, just before the loop next waits. Confined to its loop.
final class RedisConnection: EventHandler {
    private let client: RedisClient
    private let loop: EventLoop
    private var descriptor: Int32 = -1
    private var tls: TLSSession?
    private var phase = Phase.idle
    private var waiting: Deque<Waiting> = []
    private var outbound: [UInt8] = []
    private var written = 0
    private var inbound: [UInt8] = []
    private var timer: ScheduledTimer?
    private var failures = 0
    private var retryAt = Instant(nanoseconds: 0)
    /// What epoll watches for now, so an unchanged interest costs no system call.
    private var interest: IOInterest?
    private var flushDue = false
    private var hookInstalled = false
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16384, alignment: 16)

    private enum Phase {
        case idle
        case connecting
        case handshaking
        case ready
    }

    private struct Waiting {
        /// nil for the connection's own AUTH and SELECT.
        let finish: ((Result<RESPValue, StoreError>) -> Void)?
        let deadline: Instant
    }

    init(client: RedisClient, loop: EventLoop) {
        self.client = client
        self.loop = loop
    }

    deinit {
        readBuffer.deallocate()
    }

    func send(_ command: [UInt8], finish: @escaping (Result<RESPValue, StoreError>) -> Void) {
        if phase == .idle {
            guard loop.now >= retryAt else {
                finish(.failure(StoreError("Redis is unreachable (retrying)")))
                return
            }
            guard open() else {
                finish(.failure(StoreError("cannot connect to Redis at \(client.configuration.address)")))
                return
            }
        }
        waiting.append(Waiting(finish: finish, deadline: loop.now + client.configuration.commandTimeout))
        outbound += command
        if phase == .ready { flushBeforePolling() }
        armTimer()
    }

    /// Leaves the write to the loop's next wait, so that every command of this iteration
    /// shares it.
    private func flushBeforePolling() {
        guard !flushDue else { return }
        flushDue = true
        if !hookInstalled {
            hookInstalled = true
            loop.beforePolling { [weak self] in
                guard let self, flushDue else { return }
                flushDue = false
                if phase == .ready { flush() }
            }
        }
    }

    private func open() -> Bool {
        do {
            let (descriptor, _) = try client.address.connect()
            self.descriptor = descriptor
            try loop.register(descriptor, handler: self, interest: .write)
            interest = .write
        } catch {
            if descriptor >= 0 { Glibc.close(descriptor) }
            descriptor = -1
            brokeOff()
            // A connect that fails at once (a name that does not resolve, no route) is a
            // failure like one that fails later: without it the store looked available.
            client.recordFailure()
            return false
        }
        phase = .connecting
        inbound = []
        outbound = []
        written = 0
        for command in client.configuration.handshake {
            waiting.append(Waiting(finish: nil, deadline: loop.now + client.configuration.connectTimeout))
            outbound += command
        }
        return true
    }

    func handleEvents(_ events: UInt32) {
        if phase == .connecting {
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 { return fail("connect: errno \(error)") }
            if events & IOInterest.write.rawValue == 0 && events & IOInterest.read.rawValue == 0 { return }
            if let context = client.tlsContext {
                do {
                    tls = try TLSSession(context: context, descriptor: descriptor, host: client.configuration.host, resuming: nil)
                } catch {
                    return fail("TLS: \(error)")
                }
                phase = .handshaking
            } else {
                phase = .ready
                failures = 0
            }
        }
        if phase == .handshaking {
            guard let tls else { return }
            switch tls.handshake() {
            case .done:
                if let failure = tls.verificationFailure { return fail("TLS: \(failure)") }
                phase = .ready
                failures = 0
            case .wantRead: return watch(.read)
            case .wantWrite: return watch(.write)
            case .closed, .truncated: return fail("Redis closed the connection during the TLS handshake")
            case .failed(let detail): return fail("TLS: \(detail)")
            }
        }
        flush()
        guard phase == .ready else { return }
        read()
    }

    private func flush() {
        while written < outbound.count {
            if let tls {
                switch outbound[written...].withUnsafeBytes({ tls.write($0) }) {
                case .done(let count):
                    written += count
                    continue
                case .wantRead, .wantWrite: break
                case .closed, .truncated: return fail("Redis closed the connection")
                case .failed(let detail): return fail("TLS write: \(detail)")
                }
                break
            }
            let count = outbound[written...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                written += count
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { break }
            return fail("write: errno \(errno)")
        }
        if written == outbound.count {
            outbound.removeAll(keepingCapacity: true)
            written = 0
        }
        watch(outbound.isEmpty ? .read : .readWrite)
    }

    private func watch(_ wanted: IOInterest) {
        if wanted != interest {
            interest = wanted
            loop.setInterest(descriptor, wanted)
        }
    }

    private func read() {
        while phase == .ready {
            if let tls {
                switch tls.read(into: readBuffer) {
                case .done(let count):
                    inbound += UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
                    guard deliver() else { return }
                    continue  // OpenSSL may hold more than the socket shows: read to "want"
                case .wantRead, .wantWrite: return
                case .closed, .truncated: return fail("Redis closed the connection")
                case .failed(let detail): return fail("TLS read: \(detail)")
                }
            }
            let count = recv(descriptor, readBuffer.baseAddress, readBuffer.count, 0)
            if count > 0 {
                inbound += UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
                guard deliver() else { return }
                // A short read drained the socket; epoll (level-triggered) says when more comes.
                if count < readBuffer.count { return }
                continue
            }
            if count == 0 { return fail("Redis closed the connection") }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return }
            return fail("read: errno \(errno)")
        }
    }

    /// Hands each complete reply to its command; false when the connection had to close.
    private func deliver() -> Bool {
        var start = 0
        defer { if start > 0 { inbound.removeFirst(start) } }
        while start < inbound.count {
            switch RESPParser.parse(inbound[start...]) {
            case .needMoreData:
                if inbound.count - start > RESPParser.maxBulkBytes + 65536 {
                    fail("a reply larger than \(RESPParser.maxBulkBytes) bytes")
                    return false
                }
                return true
            case .invalid(let reason):
                fail("a reply that is not RESP: \(reason)")
                return false
            case .value(let value, let consumed):
                start += consumed
                guard let next = waiting.popFirst() else {
                    fail("a reply nobody asked for")
                    return false
                }
                if let finish = next.finish {
                    finish(.success(value))
                } else if case .error(let message) = value {
                    fail("the connection's set-up was refused: \(message)")
                    return false
                }
            }
        }
        return true
    }

    private func armTimer() {
        guard timer == nil, let first = waiting.first else { return }
        timer = loop.schedule(at: first.deadline) { [weak self] in
            guard let self else { return }
            timer = nil
            if let oldest = waiting.first, oldest.deadline <= loop.now {
                fail(phase == .ready ? "no reply within the command timeout" : "no connection within the connect timeout")
            } else {
                armTimer()
            }
        }
    }

    /// Every waiting command fails; a later command reconnects once the backoff has passed.
    private func fail(_ reason: String) {
        tls = nil
        if descriptor >= 0 {
            loop.deregister(descriptor)
            Glibc.close(descriptor)
            descriptor = -1
        }
        interest = nil
        flushDue = false
        phase = .idle
        timer?.cancel()
        timer = nil
        outbound = []
        written = 0
        inbound = []
        let failed = waiting
        waiting = []
        brokeOff()
        client.recordFailure()
        for entry in failed { entry.finish?(.failure(StoreError("Redis: \(reason)"))) }
    }

    private func brokeOff() {
        failures += 1
        // A failover moves Redis behind its name: look the name up again before the retry.
        client.address.askForRefresh()
        let delay = min(50 << min(failures - 1, 6), 2000)
        retryAt = loop.now + .milliseconds(delay)
    }
}
