@testable import RestgateGateway
@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// An upstream's answer, fed as it may arrive (at once, or in three pieces): the same
// verdict either way, a body within the limit, and gzip inflated within it too.

private let limit = 64 << 10
// libFuzzer calls back on one thread only (no -fork or -jobs), so nothing shares it.
nonisolated(unsafe) private let decompressor = GzipDecompressor()

private enum Verdict: Equatable {
    case incomplete
    case answer(status: Int, body: [UInt8], extra: Bool)
    case failed
}

private func verdict(_ pieces: [ArraySlice<UInt8>], closeAtEnd: Bool) -> Verdict {
    var reader = UpstreamAnswerReader(limit: limit)
    var outcome = UpstreamAnswerReader.Outcome.needMoreData
    for piece in pieces {
        outcome = piece.withUnsafeBytes { reader.feed($0) }
        if case .needMoreData = outcome { continue }
        break
    }
    if case .needMoreData = outcome, closeAtEnd { outcome = reader.end(cleanly: true) }
    switch outcome {
    case .needMoreData: return .incomplete
    case .failed: return .failed
    case .complete(let answer):
        precondition(answer.body.count <= limit, "body over the limit")
        precondition((100...599).contains(answer.head.status) && !(100...199).contains(answer.head.status))
        if let payload = try? UpstreamAnswerReader.payload(of: answer, decompressor: decompressor, limit: limit) {
            precondition(payload.count <= limit, "inflated over the limit")
        }
        return .answer(status: answer.head.status, body: answer.body, extra: answer.hasExtraBytes)
    }
}

func fuzzUpstreamAnswer(_ input: UnsafeBufferPointer<UInt8>) {
    let bytes = Array(input)
    let third = bytes.count / 3
    let whole = verdict([bytes[...]], closeAtEnd: true)
    let pieces = verdict([bytes[..<third], bytes[third..<(2 * third)], bytes[(2 * third)...]], closeAtEnd: true)
    // Bytes after a complete answer may differ (read in one piece or not), its parts may not.
    switch (whole, pieces) {
    case (.answer(let status, let body, _), .answer(let otherStatus, let otherBody, _)):
        precondition(status == otherStatus && body == otherBody, "split answer differs")
    default:
        precondition(whole == pieces, "split verdict differs: \(whole) vs \(pieces)")
    }
}
