import CLinux
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime
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

    /// Where the connection stands and what it owes: the lifecycle as a value.
    var state = HTTPConnectionState()
    var parser: RequestHeadParser
    /// Received bytes not yet consumed start at `inboundStart`.
    var inbound: [UInt8] = []
    var inboundStart = 0
    var outbound = OutboundBuffer()
    var interest = IOInterest.read
    var deadlines: ConnectionDeadlines
    /// This connection's share of the loop's large-body budget, held until its answer.
    var reservedBodyBytes = 0
    var isClosed: Bool { state.isClosed }

    /// Reading pauses while a request is handled and this much is already buffered.
    static let inboundHighWater = 65536
    /// Pipelined requests wait while this much of earlier answers is still unsent.
    static let outboundHighWater = 262_144
    /// A pipelined request waits while this much of the earlier answers sits unacknowledged in
    /// the kernel: a client that sends requests and reads no answer gets a couple of them
    /// worked on, not one for every megabyte the kernel will buffer.
    static let pipelinedUnreadLimit: Int32 = 32768

    package init(descriptor: Int32, serial: UInt64, remoteAddress: String, context: ServerLoopContext) {
        self.descriptor = descriptor
        self.serial = serial
        self.remoteAddress = remoteAddress
        self.context = context
        self.parser = RequestHeadParser(limits: context.configuration.head)
        self.deadlines = ConnectionDeadlines(limits: ConnectionDeadlines.Limits(context.configuration), openedAt: context.loop.now)
    }

    var configuration: HTTPServerConfiguration { context.configuration }
    var bufferedCount: Int { inbound.count - inboundStart }

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

    func readAvailable() {
        let buffer = context.readBuffer
        for _ in 0..<8 {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 {
                deadlines.read(at: context.loop.now)
                if case .lingering = state.phase { continue }
                inbound.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if count < buffer.count { break }
                // Bytes read ahead of what the request in progress needs wait in the kernel
                // instead of in our memory: a pipelining client that never reads its answers
                // would otherwise park half a megabyte on every connection.
                if bufferedCount >= state.readAheadLimit(maxBodyBytes: configuration.maxBodyBytes) { break }
            } else if count == 0 {
                state.clientClosed()
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
        if state.peerClosed, !isClosed { handlePeerClosed() }
        updateInterest()
    }

    /// The client will send nothing more (it may still read): requests already buffered are
    /// answered in order, and the connection closes once none can complete.
    func handlePeerClosed() {
        if state.peerClosedDecision(outboundIsEmpty: outbound.isEmpty) == .close { close() }
    }

    // MARK: Reading requests

    func processInbound() {
        while !isClosed {
            switch state.phase {
            case .awaitingHead:
                guard bufferedCount > 0, !state.closeAfterWrite, !state.waitsForReader else { return }
                if state.answeredWhilePipelining {
                    state.answeredWhilePipelining = false
                    if restgate_unsent_bytes(descriptor) > Self.pipelinedUnreadLimit { state.waitsForReader = true }
                }
                if state.waitsForReader {
                    deadlines.waitingForReader(at: context.loop.now)
                    return
                }
                deadlines.headStarted(at: context.loop.now)
                // Pipelined requests wait while earlier answers are unsent; `flush` resumes them.
                guard outbound.count < HTTPConnectionState.outboundHighWater else { return }
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
                    deadlines.headComplete()
                    beginRequest(head)
                }
            case .readingBody(var pending):
                guard bufferedCount > 0 else { return }
                state.enter(.awaitingHead)  // placeholder while `pending` is mutated locally
                if let outcome = continueBody(&pending) {
                    switch outcome {
                    case .success: dispatch(pending)
                    case .failure(let error): fail(error, request: pending.request)
                    }
                } else {
                    state.enter(.readingBody(pending))
                    return
                }
            case .handling, .lingering, .closed:
                return
            }
        }
    }

}
