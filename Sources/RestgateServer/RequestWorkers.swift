import RestgateRuntime
import Synchronization

/// The tasks that run one loop's requests through the responder, each going from one request
/// to the next. A task per request paid for its creation and destruction and, every time, for
/// the task allocator's slabs that hold the pipeline's async frames (about twenty `malloc`s a
/// request, measured); a worker keeps its slabs. A worker with nothing to do parks until
/// `run` hands it a request; a new worker starts only when none is parked, and at most
/// `maxParked` stay parked (the others end), so an idle loop keeps a bounded amount.
///
/// `@unchecked Sendable`: the workers prefer the loop as their executor, and `run`, `park` and
/// `stop` run on the loop only, so the parked list needs no lock.
final class RequestWorkers: @unchecked Sendable {
    struct Job: Sendable {
        let request: HTTPRequest
        let descriptor: Int32
        let serial: UInt64
    }

    /// Enough for the requests one loop has in flight at once under a heavy load; each parked
    /// worker keeps the slabs of its deepest request (tens of KiB).
    static let maxParked = 64

    private unowned let context: ServerLoopContext
    private var parked: [UnsafeContinuation<Job?, Never>] = []
    private var stopped = false

    init(context: ServerLoopContext) {
        self.context = context
    }

    /// Runs `job` on a parked worker, else on a new one.
    func run(_ job: Job) {
        context.loop.assertInLoop()
        if let worker = parked.popLast() {
            context.statistics.parked.subtract(1, ordering: .relaxed)
            worker.resume(returning: job)
            return
        }
        Task(executorPreference: context.loop) { [self, context] in
            // `take`, so a parked worker holds nothing of the request it served last.
            var next: Job? = job
            while let job = next.take() {
                await serve(job, context: context)
                next = await park()
            }
        }
    }

    private func serve(_ job: consuming Job, context: ServerLoopContext) async {
        let response = await context.responder.respond(to: job.request)
        context.deliver(response, descriptor: job.descriptor, serial: job.serial)
    }

    /// The next request for this worker, or nil when it should end.
    private func park() async -> Job? {
        context.loop.assertInLoop()
        guard !stopped, parked.count < Self.maxParked else { return nil }
        return await withUnsafeContinuation { worker in
            parked.append(worker)
            context.statistics.parked.add(1, ordering: .relaxed)
        }
    }

    /// Ends the parked workers (the server is stopping) and any that finish later.
    func stop() {
        context.loop.assertInLoop()
        stopped = true
        let workers = parked
        parked = []
        context.statistics.parked.subtract(workers.count, ordering: .relaxed)
        for worker in workers { worker.resume(returning: nil) }
    }
}
