import RestgateGzip
import RestgateHTTP
import RestgateJSON
package import RestgateRuntime

/// One call in flight: its bytes, its deadline, and the completion that must run exactly once.
package final class UpstreamCall {
    package let bytes: [UInt8]
    package let isIdempotent: Bool
    package let deadline: Instant
    private var completion: ((Result<UpstreamResponse, UpstreamError>) -> Void)?
    package var deadlineTimer: ScheduledTimer?
    /// The connection carrying it now, if any; the deadline aborts it.
    weak var connection: UpstreamConnection?
    package var attempts = 0

    package init(
        bytes: [UInt8], isIdempotent: Bool, deadline: Instant, completion: @escaping (Result<UpstreamResponse, UpstreamError>) -> Void
    ) {
        self.bytes = bytes
        self.isIdempotent = isIdempotent
        self.deadline = deadline
        self.completion = completion
    }

    package var isFinished: Bool { completion == nil }

    package func finish(_ result: Result<UpstreamResponse, UpstreamError>) {
        guard let completion else { return }
        self.completion = nil
        deadlineTimer?.cancel()
        connection = nil
        completion(result)
    }
}
