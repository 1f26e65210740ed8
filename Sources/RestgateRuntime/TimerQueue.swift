/// A binary min-heap of timers ordered by deadline, then by scheduling order. Used on one
/// loop thread only.
package struct TimerQueue {
    /// How many timers in the heap are cancelled; shared with the timers, which count
    /// themselves in when cancelled.
    final class Cancellations {
        var count = 0
    }

    private var heap: [ScheduledTimer] = []
    private var nextSequence: UInt64 = 0
    private let cancellations = Cancellations()

    package var nextDeadline: Instant? { heap.first?.deadline }
    /// Timers in the heap, cancelled ones included (for tests).
    package var storedCount: Int { heap.count }

    package mutating func schedule(at deadline: Instant, _ callback: @escaping () -> Void) -> ScheduledTimer {
        if heap.count >= 64, cancellations.count * 2 >= heap.count { dropCancelled() }
        let timer = ScheduledTimer(deadline: deadline, sequence: nextSequence, cancellations: cancellations, callback: callback)
        nextSequence &+= 1
        heap.append(timer)
        siftUp(heap.count - 1)
        return timer
    }

    /// Removes and returns every live timer whose deadline is not after `now`, earliest first.
    package mutating func popDue(now: Instant) -> [ScheduledTimer] {
        var due: [ScheduledTimer] = []
        while let first = heap.first, first.deadline <= now {
            let timer = removeFirst()
            timer.isQueued = false
            if timer.isCancelled {
                cancellations.count -= 1
            } else {
                due.append(timer)
            }
        }
        return due
    }

    /// Rebuilds the heap without its cancelled timers: O(n), paid once per n/2 cancellations.
    private mutating func dropCancelled() {
        for timer in heap where timer.isCancelled { timer.isQueued = false }
        heap.removeAll { $0.isCancelled }
        cancellations.count = 0
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
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
