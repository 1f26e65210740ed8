/// A scheduled callback; `cancel()` keeps it in the heap but stops it from firing.
public final class ScheduledTimer {
    let deadline: Instant
    let sequence: UInt64
    fileprivate(set) var isCancelled = false
    let callback: () -> Void

    init(deadline: Instant, sequence: UInt64, callback: @escaping () -> Void) {
        self.deadline = deadline
        self.sequence = sequence
        self.callback = callback
    }

    public func cancel() { isCancelled = true }
}

/// A binary min-heap of timers ordered by deadline, then by scheduling order.
struct TimerQueue {
    private var heap: [ScheduledTimer] = []
    private var nextSequence: UInt64 = 0

    var nextDeadline: Instant? { heap.first?.deadline }

    mutating func schedule(at deadline: Instant, _ callback: @escaping () -> Void) -> ScheduledTimer {
        let timer = ScheduledTimer(deadline: deadline, sequence: nextSequence, callback: callback)
        nextSequence &+= 1
        heap.append(timer)
        siftUp(heap.count - 1)
        return timer
    }

    /// Removes and returns every live timer whose deadline is not after `now`, earliest first.
    mutating func popDue(now: Instant) -> [ScheduledTimer] {
        var due: [ScheduledTimer] = []
        while let first = heap.first, first.deadline <= now {
            let timer = removeFirst()
            if !timer.isCancelled { due.append(timer) }
        }
        return due
    }

    private mutating func removeFirst() -> ScheduledTimer {
        let first = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return first
    }

    private func precedes(_ a: ScheduledTimer, _ b: ScheduledTimer) -> Bool {
        a.deadline == b.deadline ? a.sequence < b.sequence : a.deadline < b.deadline
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, precedes(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
