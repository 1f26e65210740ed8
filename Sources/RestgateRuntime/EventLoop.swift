package import CLinux
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The key of the thread-specific pointer to the running loop (`EventLoop.current`).
let currentLoopKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// One event-loop thread: an epoll instance, an eventfd to wake it, a timer queue, and a job
/// queue that makes it a Swift `TaskExecutor`.
///
/// Request handlers run as tasks whose executor preference is the loop that owns their
/// connection, so an `await` on the upstream client resumes on the same thread with no hop.
///
/// `@unchecked Sendable`: every stored property except `remote` and the immutable ones is
/// touched only on the loop's own thread (`assertInLoop` guards the entry points in debug
/// builds); other threads reach the loop only through `execute` and `enqueue`, which go through
/// the `remote` mutex and the eventfd.
public final class EventLoop: @unchecked Sendable {
    public let index: Int
    private let epoll: Epoll
    private let wakeDescriptor: Int32
    /// The registration of each descriptor, indexed by its number.
    private var registrations: [Registration?] = []
    /// The id of the last registration; 0 is the wake descriptor's.
    private var lastRegistrationID: UInt32 = 0

    private struct Registration {
        let handler: any EventHandler
        let tag: RegistrationTag
    }
    private var timers = TimerQueue()
    private var localJobs: [UnownedJob] = []
    private var localCallbacks: [() -> Void] = []
    private var isStopping = false
    /// Objects that belong to this loop, by kind (`local(_:make:)`).
    private var locals: [ObjectIdentifier: AnyObject] = [:]
    /// Run before every poll and when the loop ends (`beforePolling`).
    private var beforePoll: [() -> Void] = []
    private let remote = Mutex(RemoteQueue())
    /// The loop thread's `pthread_t` (an integer on Linux), 0 while the loop is not running.
    private let threadID = Atomic<UInt>(0)
    /// The time of the current iteration: read by connections instead of a clock call each.
    package private(set) var now: Instant
    /// Where the loop reads the time: the system's, or a test's manual clock.
    package let clock: any MonotonicClock
    /// Whether the last poll returned as many events as it had room for, so that more may be
    /// waiting in the kernel unseen (the upstream pool then probes connections before reuse).
    package private(set) var lastPollFilledBatch = false
    /// How many polls have returned: what a connection parked at poll n has been watched by
    /// since is every poll after n.
    package private(set) var polls: UInt64 = 0

    private struct RemoteQueue {
        var jobs: [UnownedJob] = []
        var callbacks: [@Sendable () -> Void] = []
        var woken = false
    }

    package init(index: Int, clock: any MonotonicClock = SystemClock()) throws(SystemError) {
        self.index = index
        self.clock = clock
        now = clock.now
        epoll = try Epoll()
        wakeDescriptor = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard wakeDescriptor >= 0 else { throw SystemError("eventfd") }
        try epoll.add(wakeDescriptor, interest: [.read], tag: RegistrationTag(descriptor: wakeDescriptor, id: 0))
        // Only a manual clock: a weak reference gives the loop a refcount side table, and every
        // retain and release of it would take the runtime's slow path.
        if clock.isManual { clock.onAdvance { [weak self] in self?.wake() } }
    }

    deinit {
        close(wakeDescriptor)
    }

    public var inLoop: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    package func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inLoop, "called off the event loop's thread", file: file, line: line)
    }

    /// Runs `body` on the loop: now if called on it, else at its next iteration.
    public func execute(_ body: @escaping @Sendable () -> Void) {
        if inLoop {
            localCallbacks.append(body)
        } else {
            pushRemote { $0.callbacks.append(body) }
        }
    }

    /// Schedules `body` on the loop after `delay`; must be called on the loop.
    @discardableResult
    package func schedule(after delay: Duration, _ body: @escaping () -> Void) -> ScheduledTimer {
        assertInLoop()
        return timers.schedule(at: clock.now + delay, body)
    }

    /// Schedules `body` on the loop at `deadline` (on its clock); must be called on the loop.
    @discardableResult
    package func schedule(at deadline: Instant, _ body: @escaping () -> Void) -> ScheduledTimer {
        assertInLoop()
        return timers.schedule(at: deadline, body)
    }

    package func register(_ fd: Int32, handler: any EventHandler, interest: IOInterest) throws(SystemError) {
        assertInLoop()
        let slot = Int(fd)
        if slot >= registrations.count {
            registrations.append(contentsOf: repeatElement(nil, count: max(slot + 1 - registrations.count, registrations.count)))
        }
        lastRegistrationID = lastRegistrationID == UInt32.max ? 1 : lastRegistrationID + 1
        let tag = RegistrationTag(descriptor: fd, id: lastRegistrationID)
        try epoll.add(fd, interest: interest, tag: tag)
        registrations[slot] = Registration(handler: handler, tag: tag)
    }

    package func setInterest(_ fd: Int32, _ interest: IOInterest) {
        assertInLoop()
        guard Int(fd) < registrations.count, let registration = registrations[Int(fd)] else { return }
        try? epoll.modify(fd, interest: interest, tag: registration.tag)
    }

    package func deregister(_ fd: Int32) {
        assertInLoop()
        epoll.remove(fd)
        if Int(fd) < registrations.count { registrations[Int(fd)] = nil }
    }

    /// The handler an event is for, or nil for an event of an ended registration.
    private func handler(for tag: RegistrationTag) -> (any EventHandler)? {
        guard tag.descriptor >= 0, Int(tag.descriptor) < registrations.count, let registration = registrations[Int(tag.descriptor)],
            registration.tag == tag
        else { return nil }
        return registration.handler
    }

    /// Asks the loop to finish; `run` returns after the current iteration.
    package func stop() {
        execute { [self] in isStopping = true }
    }

    /// Adds work from another thread; only the first addition since the loop last drained
    /// the queue writes to the eventfd, so a burst of tasks costs one wake-up.
    private func pushRemote(_ add: (inout RemoteQueue) -> Void) {
        let needsWake = remote.withLock { queue in
            add(&queue)
            defer { queue.woken = true }
            return !queue.woken
        }
        if needsWake { wake() }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    /// Runs the loop on the calling thread until `stop()`.
    package func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        pthread_setspecific(currentLoopKey, Unmanaged.passUnretained(self).toOpaque())
        let capacity = 256
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !isStopping {
            runPendingWork()
            if isStopping { break }
            let timeout = pollTimeout()
            for hook in beforePoll { hook() }
            let count = epoll.wait(into: events, timeoutMilliseconds: timeout)
            lastPollFilledBatch = count == capacity
            polls &+= 1
            now = clock.now
            for event in events[0..<count] {
                let tag = RegistrationTag(rawValue: event.data.u64)
                if tag.id == 0, tag.descriptor == wakeDescriptor {
                    var value: UInt64 = 0
                    _ = read(wakeDescriptor, &value, 8)
                } else if let handler = handler(for: tag) {
                    handler.handleEvents(event.events)
                }
            }
            for timer in timers.popDue(now: now) {
                timer.callback()
            }
        }
        for hook in beforePoll { hook() }
        pthread_setspecific(currentLoopKey, nil)
        threadID.store(0, ordering: .releasing)
    }

    /// The loop whose thread is running, if any.
    package static var current: EventLoop? {
        pthread_getspecific(currentLoopKey).map { Unmanaged<EventLoop>.fromOpaque($0).takeUnretainedValue() }
    }

    /// This loop's one object of type `Value`, made on first use; on the loop's thread only.
    /// Per-loop state (a gzip stream, a batch of log lines) needs no lock this way.
    package func local<Value: AnyObject>(_ type: Value.Type = Value.self, make: () -> Value) -> Value {
        assertInLoop()
        // Stored under its own type's identity, so the value is a `Value`: no dynamic cast.
        if let value = locals[ObjectIdentifier(type)] { return unsafeDowncast(value, to: Value.self) }
        let value = make()
        locals[ObjectIdentifier(type)] = value
        return value
    }

    /// Runs `hook` on this loop before each poll and when the loop ends, for work that is
    /// cheaper in batches than one at a time; on the loop's thread only.
    package func beforePolling(_ hook: @escaping () -> Void) {
        assertInLoop()
        beforePoll.append(hook)
    }

    private func pollTimeout() -> Int32 {
        if !localJobs.isEmpty || !localCallbacks.isEmpty { return 0 }
        guard let deadline = timers.nextDeadline else { return 1000 }
        let current = clock.now
        guard deadline > current else { return 0 }
        // Round up so that a timer never fires a millisecond early and spins the loop.
        let milliseconds = (deadline.nanoseconds - current.nanoseconds + 999_999) / 1_000_000
        return Int32(min(milliseconds, 1000))
    }

    private func runPendingWork() {
        let (jobs, callbacks) = remote.withLock { queue in
            defer {
                queue.jobs.removeAll(keepingCapacity: true)
                queue.callbacks.removeAll(keepingCapacity: true)
                queue.woken = false
            }
            return (queue.jobs, queue.callbacks)
        }
        localJobs.append(contentsOf: jobs)
        for callback in callbacks { callback() }
        // Bounded so that a task that keeps re-enqueueing itself cannot starve socket I/O.
        var rounds = 0
        while rounds < 16, !localJobs.isEmpty || !localCallbacks.isEmpty {
            rounds += 1
            let batch = localCallbacks
            localCallbacks.removeAll(keepingCapacity: true)
            for callback in batch { callback() }
            let jobBatch = localJobs
            localJobs.removeAll(keepingCapacity: true)
            for job in jobBatch {
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
    }
}

extension EventLoop: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if inLoop {
            localJobs.append(unowned)
        } else {
            pushRemote { $0.jobs.append(unowned) }
        }
    }
}

extension EventLoop {
    /// A loop running on a thread of its own, for clients that live outside a server.
    package static func startDedicated(name: String, clock: any MonotonicClock = SystemClock()) throws(SystemError) -> EventLoop {
        let loop = try EventLoop(index: 0, clock: clock)
        _ = spawnThread(name: name) { loop.run() }
        return loop
    }

    private final class ThreadStart {
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    package static func spawnThread(name: String, _ body: @escaping () -> Void) -> pthread_t {
        let box = Unmanaged.passRetained(ThreadStart(name: String(name.prefix(15)), body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { argument in
                let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
                _ = start.name.withCString { restgate_set_thread_name($0) }
                start.body()
                return nil
            }, box)
        precondition(result == 0, "pthread_create failed: \(result)")
        return thread
    }
}
