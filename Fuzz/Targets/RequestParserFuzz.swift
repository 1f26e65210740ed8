@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// libFuzzer target for the request head parser and the chunked body decoder.
//
// Besides "no crash", it checks one property: feeding the input in two pieces gives the
// same outcome as feeding it at once, which is what incremental parsing must guarantee.

private enum Outcome: Equatable {
    case needMoreData
    case complete(length: Int, method: String, target: String, fields: Int)
    case failed(HTTPParseError)
}

private func outcome(_ result: RequestHeadParseResult) -> Outcome {
    switch result {
    case .needMoreData: .needMoreData
    case .complete(let head, let length):
        .complete(length: length, method: head.method.rawValue, target: head.target, fields: head.headers.count)
    case .failed(let error): .failed(error)
    }
}

private let limits = RequestHeadLimits(maxTargetLength: 256, maxHeaderBytes: 1024, maxHeaderCount: 16)

func fuzzRequestParser(_ input: UnsafeBufferPointer<UInt8>) {
    let size = input.count
    var whole = RequestHeadParser(limits: limits)
    let direct = outcome(whole.parse(input))

    let split = size / 2
    var stepwise = RequestHeadParser(limits: limits)
    var incremental = outcome(stepwise.parse(UnsafeBufferPointer(rebasing: input[0..<split])))
    if incremental == .needMoreData {
        incremental = outcome(stepwise.parse(input))
    }
    if case .complete = direct {
        precondition(incremental == direct, "split parse differs: \(incremental) vs \(direct)")
    }

    guard case .complete(let head, let length) = whole.parse(input) else { return }
    precondition(length <= size)
    _ = head.wantsKeepAlive
    for index in head.headers.indices { _ = head.headers[index] }
    guard let framing = try? head.bodyFraming(), framing == .chunked else { return }

    let rest = UnsafeBufferPointer(rebasing: input[length...])
    let chunkLimits = ChunkedBodyLimits(maxBodyBytes: 4096, maxTrailerBytes: 512, maxTrailerCount: 8, maxChunkLineBytes: 128)
    var oneShot = ChunkedDecoder(limits: chunkLimits)
    var oneShotBody: [UInt8] = []
    let oneShotResult = Result { () throws(HTTPParseError) -> Int in try oneShot.decode(rest, into: &oneShotBody) }

    var pieces = ChunkedDecoder(limits: chunkLimits)
    var piecesBody: [UInt8] = []
    let middle = rest.count / 3
    let piecesResult = Result { () throws(HTTPParseError) -> Int in
        let first = try pieces.decode(UnsafeBufferPointer(rebasing: rest[0..<middle]), into: &piecesBody)
        guard first == middle else { return first }
        return first + (try pieces.decode(UnsafeBufferPointer(rebasing: rest[middle...]), into: &piecesBody))
    }
    if case .success(let consumed) = oneShotResult, oneShot.isComplete {
        precondition(piecesResult == .success(consumed), "chunked split differs")
        precondition(piecesBody == oneShotBody, "chunked bodies differ")
        precondition(oneShotBody.count <= 4096)
        _ = oneShot.trailers.map(\.name)
    }
}
