/// A scheduled callback. `cancel()` stops it from firing; the queue drops cancelled timers
/// in bulk once they are half of it, so a deadline armed per upstream call and cancelled on
/// its answer does not stay in memory for the whole timeout.
public final class ScheduledTimer {
    package let deadline: Instant
    package let sequence: UInt64
    var isCancelled = false
    /// Whether the timer is still in its queue's heap (not yet fired or dropped).
    var isQueued = true
    let cancellations: TimerQueue.Cancellations
    package let callback: () -> Void

    init(deadline: Instant, sequence: UInt64, cancellations: TimerQueue.Cancellations, callback: @escaping () -> Void) {
        self.deadline = deadline
        self.sequence = sequence
        self.cancellations = cancellations
        self.callback = callback
    }

    public func cancel() {
        guard !isCancelled else { return }
        isCancelled = true
        if isQueued { cancellations.count += 1 }
    }
}
