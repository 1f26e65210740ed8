import RestgateHTTP

/// One call in flight: its bytes, its deadline, and the completion that must run exactly once.
final class UpstreamCall {
    let bytes: [UInt8]
    let isIdempotent: Bool
    let deadline: Instant
    private var completion: ((Result<UpstreamResponse, UpstreamError>) -> Void)?
    var deadlineTimer: ScheduledTimer?
    /// The connection carrying it now, if any; the deadline aborts it.
    weak var connection: UpstreamConnection?
    var attempts = 0

    init(bytes: [UInt8], isIdempotent: Bool, deadline: Instant, completion: @escaping (Result<UpstreamResponse, UpstreamError>) -> Void) {
        self.bytes = bytes
        self.isIdempotent = isIdempotent
        self.deadline = deadline
        self.completion = completion
    }

    var isFinished: Bool { completion == nil }

    func finish(_ result: Result<UpstreamResponse, UpstreamError>) {
        guard let completion else { return }
        self.completion = nil
        deadlineTimer?.cancel()
        connection = nil
        completion(result)
    }
}
