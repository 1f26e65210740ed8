package import RestgateGzip
package import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// Reads one upstream answer from its bytes as they arrive (interim answers, the head, the
/// framing, the body) as strictly as a client's request is read: anything two parties could
/// read two ways fails the answer. No I/O: `UpstreamConnection` feeds it, and the fuzzer
/// feeds it the same way.
package struct UpstreamAnswerReader {
    package enum Outcome {
        case needMoreData
        case complete(Answer)
        case failed(UpstreamError)
    }

    package struct Answer {
        package var head: ResponseHeadParser.Head
        /// As framed; still gzip when the upstream said so (`payload` inflates it).
        package var body: [UInt8]
        /// Bytes after the answer: an upstream that sends them cannot be trusted again.
        package var hasExtraBytes: Bool
        package var endedByClose: Bool
    }

    private enum Framing {
        case length(Int)
        case chunked(ChunkedDecoder)
        case untilClose
    }

    /// More interim answers than this is an upstream looping, not informing.
    package static let maxInterimAnswers = 4

    package let limit: Int
    private var inbound: [UInt8] = []
    private var head: ResponseHeadParser.Head?
    private var framing = Framing.untilClose
    private var body: [UInt8] = []
    private var interimAnswers = 0

    package init(limit: Int) {
        self.limit = limit
    }

    /// Ready for the next answer on the same connection; the read buffer keeps its capacity.
    package mutating func reset() {
        inbound.removeAll(keepingCapacity: true)
        head = nil
        framing = .untilClose
        body = []
        interimAnswers = 0
    }

    /// Whether any byte of an answer has arrived (so a call may have reached the upstream).
    package var hasReceivedAnything: Bool { head != nil || !inbound.isEmpty || interimAnswers > 0 }

    package mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        inbound.append(contentsOf: bytes)
        while head == nil {
            let outcome = inbound.withUnsafeBufferPointer { ResponseHeadParser.parse($0) }
            switch outcome {
            case .needMoreData:
                return .needMoreData
            case .failed(let reason):
                return .failed(.malformedResponse(reason))
            case .complete(let parsed):
                inbound.removeFirst(parsed.length)
                if (100...199).contains(parsed.status) {
                    // 101 switches protocols, which no request of ours asks for.
                    interimAnswers += 1
                    guard parsed.status != 101, interimAnswers <= Self.maxInterimAnswers else {
                        return .failed(.malformedResponse("unexpected interim answers (HTTP \(parsed.status))"))
                    }
                    continue
                }
                do {
                    framing = try Self.framing(of: parsed, limit: limit)
                } catch {
                    return .failed(error)
                }
                head = parsed
            }
        }
        return readBody()
    }

    private mutating func readBody() -> Outcome {
        guard let head else { return .needMoreData }
        switch framing {
        case .length(let remaining):
            let take = min(remaining, inbound.count)
            body.append(contentsOf: inbound[0..<take])
            inbound.removeFirst(take)
            framing = .length(remaining - take)
            if remaining == take { return .complete(answer(head, endedByClose: false)) }
        case .chunked(var decoder):
            do {
                let consumed = try inbound.withUnsafeBufferPointer { buffer throws(HTTPParseError) -> Int in
                    try decoder.decode(buffer, into: &body)
                }
                inbound.removeFirst(consumed)
            } catch .bodyTooLarge {
                return .failed(.bodyTooLarge(limit: limit))
            } catch {
                return .failed(.malformedResponse("chunked body: \(error)"))
            }
            framing = .chunked(decoder)
            if decoder.isComplete { return .complete(answer(head, endedByClose: false)) }
        case .untilClose:
            body.append(contentsOf: inbound)
            inbound.removeAll(keepingCapacity: true)
            if body.count > limit { return .failed(.bodyTooLarge(limit: limit)) }
        }
        return .needMoreData
    }

    /// The upstream closed. `cleanly` is false for TLS without close_notify, where a body that
    /// ends at the close may have been cut short. `.needMoreData` means no answer had begun.
    package mutating func end(cleanly: Bool) -> Outcome {
        guard let head else { return .needMoreData }
        guard case .untilClose = framing else { return .failed(.malformedResponse("the connection closed before the whole body")) }
        guard cleanly else {
            return .failed(.malformedResponse("the TLS connection ended without close_notify: the answer may be cut short"))
        }
        return .complete(answer(head, endedByClose: true))
    }

    private mutating func answer(_ head: ResponseHeadParser.Head, endedByClose: Bool) -> Answer {
        defer { body = [] }
        return Answer(head: head, body: body, hasExtraBytes: !inbound.isEmpty, endedByClose: endedByClose)
    }

    /// The answer's framing (RFC 9112 §6.3): a length and a coding together, two lengths, a
    /// length that is not plain digits, or a coding other than chunked are refused.
    private static func framing(of head: ResponseHeadParser.Head, limit: Int) throws(UpstreamError) -> Framing {
        let lengths = head.headers.values("content-length")
        let isChunked = head.headers.contains("transfer-encoding")
        if isChunked, !lengths.isEmpty { throw .malformedResponse("both Transfer-Encoding and Content-Length") }
        guard lengths.count <= 1 else { throw .malformedResponse("more than one Content-Length") }
        if head.status == 204 || head.status == 304 { return .length(0) }
        if isChunked {
            guard head.headers.listElements("transfer-encoding") == ["chunked"] else {
                throw .malformedResponse("unsupported transfer coding")
            }
            return .chunked(ChunkedDecoder(limits: ChunkedBodyLimits(maxBodyBytes: limit)))
        }
        if let value = lengths.first {
            guard !value.isEmpty, value.utf8.count <= 18, value.utf8.allSatisfy({ (48...57).contains($0) }), let length = Int(value)
            else { throw .malformedResponse("bad Content-Length") }
            guard length <= limit else { throw .bodyTooLarge(limit: limit) }
            return .length(length)
        }
        return .untilClose
    }

    /// The body as the caller reads it: inflated when the upstream sent gzip, under `limit`.
    package static func payload(of answer: Answer, decompressor: GzipDecompressor, limit: Int) throws(UpstreamError) -> [UInt8] {
        guard answer.head.headers.listElements("content-encoding").contains("gzip"), !answer.body.isEmpty else { return answer.body }
        do {
            return try decompressor.decompress(answer.body, limit: limit)
        } catch .tooLarge {
            throw .bodyTooLarge(limit: limit)
        } catch {
            throw .malformedResponse("gzip body is corrupt")
        }
    }

    /// Whether the upstream keeps the connection open after this answer (RFC 9112 §9.3:
    /// HTTP/1.0 closes unless it says keep-alive).
    package static func isPersistent(_ head: ResponseHeadParser.Head) -> Bool {
        head.isHTTP10 ? head.headers.hasListElement("connection", "keep-alive") : !head.headers.hasListElement("connection", "close")
    }
}
