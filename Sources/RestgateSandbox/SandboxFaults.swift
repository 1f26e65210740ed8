import RestgateJSON
import Synchronization

/// Faults a test arms on the sandbox (`POST /sandbox/faults`), so that an end-to-end run can
/// make an upstream call time out: the next `count` calls of `operation` take effect and are
/// then answered only after `delayMilliseconds`, as a slow upstream would.
final class SandboxFaults: Sendable {
    private struct Fault {
        var delay: Duration
        var remaining: Int
    }

    private let faults = Mutex<[String: Fault]>([:])
    private let armed = Atomic<Bool>(false)

    /// Arms a fault from `{"operation": NAME, "delayMilliseconds": N, "count": N}`; nil when the
    /// body is not one.
    func arm(_ body: [UInt8]) -> String? {
        guard let value = try? JSONParser.parse(body), let operation = value["operation"]?.string,
            case .number(let delayText)? = value["delayMilliseconds"], let delay = Int(delayText), (0...120_000).contains(delay)
        else { return nil }
        var count = 1
        if case .number(let text)? = value["count"] {
            guard let parsed = Int(text), parsed > 0 else { return nil }
            count = parsed
        }
        faults.withLock { $0[operation] = Fault(delay: .milliseconds(delay), remaining: count) }
        armed.store(true, ordering: .releasing)
        return operation
    }

    /// The delay owed to this call, if a fault is armed for its operation.
    func take(requestBody body: [UInt8]) -> Duration? {
        guard armed.load(ordering: .acquiring), let operation = (try? JSONParser.parse(body))?["operationName"]?.string else {
            return nil
        }
        return faults.withLock { faults in
            guard var fault = faults[operation] else { return nil }
            fault.remaining -= 1
            faults[operation] = fault.remaining > 0 ? fault : nil
            return fault.delay
        }
    }
}
