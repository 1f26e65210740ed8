import RestgateRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The one background thread that resolves every `HostAddress` again: each second it serves
/// the addresses that asked (a connect failed), and every `HostAddress.refreshInterval` all of
/// them. DNS may block, so this never runs on a loop.
final class AddressRefresher: Sendable {
    static let shared = AddressRefresher()

    private final class Entry: Sendable {
        weak let address: HostAddress?
        init(_ address: HostAddress) { self.address = address }
    }

    private let entries = Mutex<[Entry]>([])
    private let started = Atomic<Bool>(false)

    func watch(_ address: HostAddress) {
        entries.withLock { entries in
            entries.removeAll { $0.address == nil }
            entries.append(Entry(address))
        }
        if started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            _ = EventLoop.spawnThread(name: "restgate-dns") { [self] in run() }
        }
    }

    private func run() {
        let every = Int(HostAddress.refreshInterval.components.seconds)
        var second = 0
        while true {
            sleep(1)
            second += 1
            let due = second % every == 0
            for address in entries.withLock({ $0.compactMap(\.address) }) {
                address.refresh(due: due)
            }
        }
    }
}
